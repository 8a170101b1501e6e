package io.terrafield.ingest.sensor;

import io.terrafield.store.Observation;
import io.terrafield.store.Variable;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;

/**
 * A validated raw reading as it travels between the sensor job's operators: a compact form of
 * {@link Observation} that Flink serializes as a POJO (a string, a long, a {@code double[]}), not
 * through Kryo as it would the observation's map.
 *
 * @param stationId the station
 * @param timeMs the reading's time, epoch milliseconds
 * @param values one slot per {@link Variable#ordinal()}, {@code NaN} when not measured
 * @param windDirection the compass point, or {@code null}
 */
public record Reading(String stationId, long timeMs, double[] values, String windDirection) {

  static final int VARIABLES = Variable.values().length;

  /** The reading of an observation (its sample count is dropped: a reading is one sample). */
  public static Reading of(Observation o) {
    double[] values = new double[VARIABLES];
    Arrays.fill(values, Double.NaN);
    o.values().forEach((v, x) -> values[v.ordinal()] = x);
    return new Reading(o.stationId(), o.time().toEpochMilli(), values, o.windDirection());
  }

  /** This reading as an observation of one sample. */
  public Observation toObservation() {
    EnumMap<Variable, Double> map = new EnumMap<>(Variable.class);
    Variable[] all = Variable.values();
    for (int i = 0; i < values.length; i++) {
      if (!Double.isNaN(values[i])) {
        map.put(all[i], values[i]);
      }
    }
    return new Observation(stationId, Instant.ofEpochMilli(timeMs), map, windDirection, 1);
  }
}
