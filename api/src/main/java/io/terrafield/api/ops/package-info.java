/**
 * Operations metrics, scraped at {@code /actuator/prometheus}: the sensor job's Flink counters
 * (valid, accepted, late and rejected readings per reason) bridged into Micrometer by a Flink
 * metric reporter ({@link io.terrafield.api.ops.FlinkMetricsReporterFactory}), and the forecast
 * metrics read from the store so that they hold for a stateless api (issue lag, served interval
 * coverage, alerts raised). HTTP latency histograms are Spring Boot's ({@code
 * management.metrics.distribution.percentiles-histogram.http.server.requests}); the effect pool's
 * gauges are registered with the pool in {@code io.terrafield.api.effects}.
 */
package io.terrafield.api.ops;
