package io.terrafield.ingest.forecast;

import io.terrafield.ingest.StoreSettings;
import io.terrafield.store.LatestValue;
import io.terrafield.store.Observation;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.io.Serializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills the forecast job's empty history window of a variable when its first record arrives (a
 * first start, or a start without a savepoint): the stored values of the {@code windowHours} before
 * that record's hour.
 */
@FunctionalInterface
public interface WindowBootstrap extends Serializable {

  /** The values of {@code variable} in {@code [beforeMillis − windowHours, beforeMillis)}. */
  List<HourlyValue> history(String variable, long beforeMillis, ForecastJobOptions options);

  /** Reads the window from the store (every station that has the variable). */
  static WindowBootstrap fromStore(StoreSettings settings) {
    return (variable, beforeMillis, options) -> {
      Variable v =
          Variable.byKey(variable)
              .orElseThrow(() -> new IllegalArgumentException("variable: '" + variable + "'"));
      Instant to = Instant.ofEpochMilli(beforeMillis);
      Instant from = to.minus(options.windowHours(), ChronoUnit.HOURS);
      List<HourlyValue> out = new ArrayList<>();
      try (TerrafieldStore store = settings.open()) {
        for (LatestValue latest : store.latestValues(v)) {
          String id = latest.station().id();
          for (Observation o : store.observations(id, from, to)) {
            Double y = o.value(v);
            if (y != null && Double.isFinite(y)) {
              out.add(
                  new HourlyValue(
                      variable, id, o.time().truncatedTo(ChronoUnit.HOURS).toEpochMilli(), y));
            }
          }
        }
      }
      return out;
    };
  }
}
