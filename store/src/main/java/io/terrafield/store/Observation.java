package io.terrafield.store;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The readings of one station at one instant (UTC). A variable that was not measured is absent from
 * {@link #values()} (never NaN). {@code windDirection} is the compass point ({@code NNW}) or {@code
 * null}. {@code sampleCount} is how many raw readings were aggregated into this one (1 for a raw
 * reading).
 */
public record Observation(
    String stationId,
    Instant time,
    Map<Variable, Double> values,
    String windDirection,
    int sampleCount)
    implements java.io.Serializable {

  public Observation {
    Objects.requireNonNull(stationId, "stationId");
    Objects.requireNonNull(time, "time");
    EnumMap<Variable, Double> copy = new EnumMap<>(Variable.class);
    if (values != null) {
      values.forEach(
          (k, v) -> {
            if (v != null && !v.isNaN()) {
              copy.put(k, v);
            }
          });
    }
    values = Collections.unmodifiableMap(copy);
    if (sampleCount < 1) {
      throw new IllegalArgumentException("sampleCount must be >= 1, was " + sampleCount);
    }
  }

  /** The value of {@code v}, or {@code null} when it was not measured. */
  public Double value(Variable v) {
    return values.get(v);
  }
}
