/**
 * Exceedance alert episodes: {@link io.terrafield.forecasting.alerts.AlertLifecycle} turns the
 * exceedance probabilities of successive forecast issues at one target (station or grid cell) and
 * pollutant into one episode that is raised, updated while it holds and cleared with hysteresis,
 * instead of one alert per issue. Pure functions over immutable state, so the forecast job keeps
 * the state in Flink keyed state.
 */
package io.terrafield.forecasting.alerts;
