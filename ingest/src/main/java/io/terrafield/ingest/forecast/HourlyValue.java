package io.terrafield.ingest.forecast;

/**
 * One hourly value of one variable at one station, as read off {@code aq.observations.hourly}.
 *
 * @param variable the variable key (e.g. {@code pm25}); the job's key
 * @param stationId the station id
 * @param hourMillis the hour (UTC, epoch milliseconds, a whole hour)
 * @param value the hourly mean in the variable's unit
 */
public record HourlyValue(String variable, String stationId, long hourMillis, double value) {}
