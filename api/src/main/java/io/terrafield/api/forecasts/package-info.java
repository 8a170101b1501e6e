/**
 * Forecasts in the product: {@link io.terrafield.api.forecasts.ForecastService} fits a small
 * CGLUBNF neural field on the stored hourly history in a background thread, refits it on a schedule
 * (swapped atomically), issues quantile forecasts for 1..72 h at the stations from the newest
 * stored hour (store, Kafka {@code aq.forecasts}) and raises exceedance alerts (store, Kafka {@code
 * aq.alerts} as CloudEvents, the SSE stream). {@code GET /collections/{id}/position} serves them as
 * CoverageJSON (OGC API EDR position query).
 */
package io.terrafield.api.forecasts;
