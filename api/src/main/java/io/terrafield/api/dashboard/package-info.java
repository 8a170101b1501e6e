/**
 * The live map dashboard ({@code /}) and the effects page ({@code /effects.html}): static files
 * (Leaflet from its webjar, an offline base map built from Natural Earth and GeoNames, ES modules)
 * that read the EDR, alerts and effects endpoints; and {@code GET /dashboard/categories}, the
 * air-quality category schemes of the forecasting module, so the page and the API classify alike.
 * See docs/dashboard.md.
 */
package io.terrafield.api.dashboard;
