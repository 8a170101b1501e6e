/**
 * Forecasts in the product, served from the store: the Flink forecast job ({@code
 * io.terrafield.ingest.forecast.ForecastJob}, on the embedded MiniCluster in the demo) issues
 * quantile forecasts for 1..72 h at the stations and grid cells into the store, Kafka {@code
 * aq.forecasts} and alert episodes to {@code aq.alerts}; {@link
 * io.terrafield.api.forecasts.ForecastTrainer} trains the field on the stored history and publishes
 * model artifacts into the model directory, where the job picks them up. The controllers here
 * ({@code position}, {@code cube}, {@code area}, {@code instances}, {@code verification}) read only
 * the stored issues, so every api instance answers the same.
 */
package io.terrafield.api.forecasts;
