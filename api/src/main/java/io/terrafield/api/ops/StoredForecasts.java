package io.terrafield.api.ops;

import io.terrafield.store.ForecastIssue;
import io.terrafield.store.ForecastRecord;
import io.terrafield.store.LatestValue;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Figures about the served forecasts, read from the store only (so every replica of a stateless api
 * reports the same): the newest issue, the newest observation, and the coverage of the served 90 %
 * intervals. Thread-safe (the store is).
 */
final class StoredForecasts {

  /** The model whose stored forecasts are served. */
  static final String MODEL = "cglubnf";

  private final TerrafieldStore store;

  StoredForecasts(TerrafieldStore store) {
    this.store = store;
  }

  /** The newest stored issue time of {@code v} over the stations, if any issue is stored. */
  Optional<Instant> newestIssue(Variable v) {
    return store.newestIssue(v, MODEL).map(ForecastIssue::issueTime);
  }

  /** The newest stored hour with a value of {@code v} at any station. */
  Optional<Instant> newestObservation(Variable v) {
    return store.latestValues(v).stream().map(LatestValue::time).max(Instant::compareTo);
  }

  /**
   * How many observed hours of {@code v} in the {@code window} up to {@code until} fell inside the
   * 90 % interval (5 % to 95 % quantile) of the newest forecast served for that hour (the 1 h lead
   * when the forecast runs every hour), over all stations.
   */
  Coverage coverage90(Variable v, Instant until, Duration window) {
    Instant from = until.minus(window);
    Map<String, Map<Instant, Double>> observed = new HashMap<>();
    for (Station s : store.stations()) {
      Map<Instant, Double> values = new HashMap<>();
      for (Observation o : store.observations(s.id(), from, until.plusSeconds(1))) {
        Double x = o.value(v);
        if (x != null) {
          values.put(o.time(), x);
        }
      }
      observed.put(s.id(), values);
    }
    int inside = 0;
    int total = 0;
    for (Instant t = from; !t.isAfter(until); t = t.plus(Duration.ofHours(1))) {
      for (ForecastRecord f : store.forecastsInBox(v, MODEL, t, -180, -90, 180, 90)) {
        Double x = observed.getOrDefault(f.targetId(), Map.of()).get(t);
        if (x != null) {
          total++;
          inside += x >= f.quantiles().q05() && x <= f.quantiles().q95() ? 1 : 0;
        }
      }
    }
    return new Coverage(inside, total);
  }

  /** Observations inside the interval of {@code total} verified. */
  record Coverage(int inside, int total) {
    /** The fraction inside; NaN when nothing could be verified yet. */
    double picp() {
      return total == 0 ? Double.NaN : (double) inside / total;
    }
  }
}
