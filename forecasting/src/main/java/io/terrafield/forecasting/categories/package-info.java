/**
 * Air-quality categories as agencies publish them: the breakpoint tables of the US EPA Air Quality
 * Index, the European Environment Agency's European Air Quality Index and China's HJ 633-2012
 * Individual Air Quality Index, per pollutant, converted once to the unit the data are stored in
 * (µg/m³). Public API: {@link io.terrafield.forecasting.categories.AirQualityCategories} (the
 * tables, looked up by scheme and pollutant), the records {@link
 * io.terrafield.forecasting.categories.CategoryTable} and {@link
 * io.terrafield.forecasting.categories.Category}, and the enum {@link
 * io.terrafield.forecasting.categories.CategoryScheme}. The dashboard and the API read the same
 * tables (served as JSON by {@code GET /dashboard/categories}).
 */
package io.terrafield.forecasting.categories;
