package io.terrafield.api.forecasts;

import io.terrafield.forecasting.serving.ServedVerification;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.ForecastRecord;
import io.terrafield.store.Observation;
import io.terrafield.store.TargetKind;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Scores the stored station forecasts of the issues in a window against the stored observations
 * that arrived later, with the served-verification code ({@link ServedVerification}: its lead-time
 * bands and {@code Metrics}), next to persistence (the observation of the hour before the issue
 * time) issued at the same times. Only the store is read, so every api instance and every restart
 * gives the same numbers. The stored quantiles become 199-level vectors by {@link QuantileGrid}.
 * Pairs without an observation, or without the persistence observation, are skipped. Thread-safe:
 * the station forecasts of an issue (immutable) are cached.
 */
final class StoredVerification {
  private static final int CACHED_ISSUES = 24 * 7;

  private final TerrafieldStore store;
  private final Map<String, List<ForecastRecord>> issueCache =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<ForecastRecord>> eldest) {
          return size() > CACHED_ISSUES;
        }
      };

  StoredVerification(TerrafieldStore store) {
    this.store = store;
  }

  /**
   * The verification of the given issues.
   *
   * @param issues the issues to score (any order)
   * @param newestObservation the newest stored observation hour (later valid times are not scored)
   */
  ServedVerification verify(Variable v, List<ForecastIssue> issues, Instant newestObservation) {
    ServedVerification verification = new ServedVerification();
    if (issues.isEmpty() || newestObservation == null) {
      return verification;
    }
    Map<String, List<ForecastRecord>> byIssue = new LinkedHashMap<>();
    Set<String> stations = new TreeSet<>();
    Instant from = Instant.MAX;
    Instant to = Instant.MIN;
    for (ForecastIssue issue : issues) {
      List<ForecastRecord> records = stationForecasts(v, issue.issueTime());
      byIssue.put(issue.issueTime().toString(), records);
      for (ForecastRecord r : records) {
        stations.add(r.targetId());
        to = r.validTime().isAfter(to) ? r.validTime() : to;
      }
      Instant before = issue.issueTime().minus(Duration.ofHours(1));
      from = before.isBefore(from) ? before : from;
    }
    if (to.isAfter(newestObservation)) {
      to = newestObservation;
    }
    Map<String, Double> observed = observations(v, stations, from, to);
    for (List<ForecastRecord> records : byIssue.values()) {
      for (ForecastRecord r : records) {
        Double y = observed.get(key(r.targetId(), r.validTime()));
        Double last = observed.get(key(r.targetId(), r.issueTime().minus(Duration.ofHours(1))));
        if (y != null && last != null) {
          verification.add(
              r.horizonH(),
              QuantileGrid.of(r.quantiles().toArray()),
              QuantileGrid.constant(last),
              y);
        }
      }
    }
    return verification;
  }

  /** Observed values by {@link #key} for the stations over [from, to] (hours). */
  Map<String, Double> observations(Variable v, Set<String> stations, Instant from, Instant to) {
    Map<String, Double> observed = new HashMap<>();
    if (to.isBefore(from)) {
      return observed;
    }
    for (String station : stations) {
      for (Observation o : store.observations(station, from, to.plusSeconds(1))) {
        Double y = o.value(v);
        if (y != null) {
          observed.put(key(station, o.time().truncatedTo(ChronoUnit.HOURS)), y);
        }
      }
    }
    return observed;
  }

  static String key(String station, Instant hour) {
    return station + "|" + hour;
  }

  private List<ForecastRecord> stationForecasts(Variable v, Instant issueTime) {
    String key = v.key() + "|" + issueTime;
    synchronized (issueCache) {
      List<ForecastRecord> cached = issueCache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    List<ForecastRecord> records =
        List.copyOf(store.issueForecasts(v, StoredIssues.MODEL, issueTime, TargetKind.STATION));
    synchronized (issueCache) {
      issueCache.put(key, records);
    }
    return records;
  }
}
