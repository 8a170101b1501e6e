/**
 * The served forecast pipeline: one path from a fitted field and the history up to an issue time to
 * a typed {@link io.terrafield.forecasting.serving.IssuedForecast} (quantiles, mean, P(exceedance),
 * the interval factor applied), built from the same model classes that {@code terrafield forecast
 * evaluate} scores, so the evaluated numbers describe what is served. Also the forecast domain
 * (where the field is valid), the plausible range of each pollutant, and the verification of issued
 * forecasts against the observations that arrive later. Pure and clock-injected; the api schedules
 * it and presents its answers.
 */
package io.terrafield.forecasting.serving;
