package io.terrafield.forecasting;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

/**
 * A regular station-by-time grid of one variable, {@code NaN} marking a missing value.
 *
 * <p>Times are local wall-clock times of the data set (Beijing: UTC+8; Germany: calendar days);
 * value {@code values[s][t]} belongs to station {@code s} at {@code start + t * step}.
 *
 * @param target the variable name (a column of the source data)
 * @param stations the stations, in the order of the first index of {@code values}
 * @param start local time of index 0
 * @param step time step (one hour or one day)
 * @param values values per station and time step; {@code NaN} is missing
 */
public record SpaceTimeSeries(
    String target, List<Station> stations, LocalDateTime start, Duration step, double[][] values) {

  /** Validates shapes. */
  public SpaceTimeSeries {
    stations = List.copyOf(stations);
    if (values.length != stations.size()) {
      throw new ForecastingException(
          "values: expected " + stations.size() + " station rows, got " + values.length);
    }
    if (step.isZero() || step.isNegative()) {
      throw new ForecastingException("step must be positive, got " + step);
    }
    for (int s = 0; s < values.length; s++) {
      if (values[s].length != values[0].length) {
        throw new ForecastingException(
            "values[" + s + "]: expected length " + values[0].length + ", got " + values[s].length);
      }
    }
  }

  /** Number of time steps. */
  public int length() {
    return values.length == 0 ? 0 : values[0].length;
  }

  /** Local time of time index {@code t}. */
  public LocalDateTime time(int t) {
    return start.plus(step.multipliedBy(t));
  }

  /** Time index of {@code time} (may be negative or beyond the end; truncates partial steps). */
  public int indexOf(LocalDateTime time) {
    return (int) Math.floorDiv(Duration.between(start, time).getSeconds(), step.getSeconds());
  }

  /** True for hourly data, false for daily. */
  public boolean hourly() {
    return step.toHours() < 24;
  }

  /** Absolute time of index {@code t} in steps since 1970-01-01T00:00 local (for features). */
  public double absoluteSteps(int t) {
    LocalDateTime epoch = LocalDateTime.of(1970, 1, 1, 0, 0);
    return (double) Duration.between(epoch, start).getSeconds() / step.getSeconds() + t;
  }

  /** A deep copy with the given values (same stations and times). */
  public SpaceTimeSeries withValues(double[][] newValues) {
    return new SpaceTimeSeries(target, stations, start, step, newValues);
  }

  /** A deep copy of the values. */
  public double[][] copyValues() {
    double[][] copy = new double[values.length][];
    for (int s = 0; s < values.length; s++) {
      copy[s] = values[s].clone();
    }
    return copy;
  }
}
