package io.terrafield.api.forecasts;

import io.terrafield.api.problems.NotFoundException;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.ForecastRecord;
import io.terrafield.store.ForecastStore;
import io.terrafield.store.TargetKind;
import io.terrafield.store.Variable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Reads the stored forecast issues (the forecast job publishes them, see {@link ForecastStore}):
 * the newest issue of a variable, one issue by its instance id, and the list of issues (EDR
 * instances). An issue never changes once published, so the few most recently read issues are kept
 * in memory by (variable, issue time), each read once (concurrent requests for an issue being read
 * wait for that read): every api instance reads the same rows and answers the same. Thread-safe.
 */
@Component
public class StoredIssues {

  /** The model name of the served forecasts. */
  public static final String MODEL = "cglubnf";

  /** How many issues are kept in memory (an issue of 2,000 cells × 72 h takes about 15 MB). */
  static final int CACHED_ISSUES = 4;

  /** Instance ids: the issue time in ISO 8601 basic format, e.g. {@code 20160205T1600Z}. */
  static final DateTimeFormatter INSTANCE_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

  private static final Logger LOG = LoggerFactory.getLogger(StoredIssues.class);

  private final ForecastStore store;
  private final double domainKm;

  /** Issues read or being read, by variable and issue time: one read per issue and instance. */
  private final Map<String, CompletableFuture<StoredIssue>> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(
            Map.Entry<String, CompletableFuture<StoredIssue>> eldest) {
          return size() > CACHED_ISSUES;
        }
      };

  /**
   * @param domainKm the served radius around the stations, km (0: the default rule of {@code
   *     ForecastDomain.around}), as the forecast job is configured
   */
  public StoredIssues(
      ForecastStore store, @Value("${terrafield.forecast.domain-km:0}") double domainKm) {
    this.store = store;
    this.domainKm = domainKm;
  }

  /** The instance id of an issue time. */
  public static String instanceId(Instant issueTime) {
    return INSTANCE_ID.format(issueTime);
  }

  /**
   * The issue time of an instance id ({@code 20160205T1600Z}, or an RFC 3339 instant).
   *
   * @throws IllegalArgumentException naming {@code instanceId} and the value when it is neither
   */
  static Instant issueTime(String instanceId) {
    try {
      return INSTANCE_ID.parse(instanceId, Instant::from);
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(instanceId);
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException(
            "instanceId: '"
                + instanceId
                + "' is not an issue time like 20160205T1600Z (see /collections/{id}/instances)");
      }
    }
  }

  /**
   * The newest published issue of a variable.
   *
   * @throws ForecastNotReadyException when none is stored yet
   */
  StoredIssue newest(Variable v) {
    return read(newestRow(v));
  }

  /**
   * The row of the newest published issue of a variable (one store query; the issue itself is not
   * read).
   *
   * @throws ForecastNotReadyException when none is stored yet
   */
  ForecastIssue newestRow(Variable v) {
    return store
        .newestIssue(v, MODEL)
        .orElseThrow(
            () ->
                new ForecastNotReadyException(
                    "no "
                        + v.key()
                        + " forecast is stored yet; the forecast job publishes one once"
                        + " the model is trained and the hourly observations arrive"));
  }

  /**
   * The row of the issue of an instance id, or of the newest issue when {@code instanceId} is null.
   *
   * @throws IllegalArgumentException for an id that is no issue time
   * @throws NotFoundException when no such issue is stored
   * @throws ForecastNotReadyException when {@code instanceId} is null and no issue is stored
   */
  ForecastIssue issueRow(Variable v, String instanceId) {
    return instanceId == null ? newestRow(v) : row(v, instanceId);
  }

  /**
   * The issue of an instance id, or the newest when {@code instanceId} is null.
   *
   * @throws IllegalArgumentException for an id that is no issue time
   * @throws NotFoundException when no such issue is stored
   * @throws ForecastNotReadyException when {@code instanceId} is null and no issue is stored
   */
  StoredIssue issue(Variable v, String instanceId) {
    return instanceId == null ? newest(v) : read(row(v, instanceId));
  }

  /**
   * The published issue row of an instance id.
   *
   * @throws IllegalArgumentException for an id that is no issue time
   * @throws NotFoundException when no such issue is stored
   */
  ForecastIssue row(Variable v, String instanceId) {
    Instant t = issueTime(instanceId);
    return store
        .issue(v, MODEL, t)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "instanceId: no "
                        + v.key()
                        + " issue '"
                        + instanceId
                        + "' is stored (see /collections/"
                        + v.key()
                        + "/instances)"));
  }

  /** The published issues of a variable, newest first, at most {@code limit}. */
  List<ForecastIssue> issues(Variable v, int limit) {
    return store.issues(v, MODEL, limit);
  }

  /** The stored issue of a row, read once and kept while it is among the last read. */
  StoredIssue read(ForecastIssue issue) {
    String key = issue.variable().key() + "|" + issue.issueTime();
    CompletableFuture<StoredIssue> loading;
    boolean mine = false;
    synchronized (cache) {
      loading = cache.get(key);
      if (loading == null) {
        loading = new CompletableFuture<>();
        cache.put(key, loading);
        mine = true;
      }
    }
    if (mine) {
      try {
        loading.complete(load(issue));
      } catch (RuntimeException e) {
        synchronized (cache) {
          cache.remove(key);
        }
        loading.completeExceptionally(e);
      }
    }
    try {
      return loading.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private StoredIssue load(ForecastIssue issue) {
    long start = System.nanoTime();
    List<ForecastRecord> records =
        store.issueForecasts(issue.variable(), MODEL, issue.issueTime(), null);
    long read = System.nanoTime();
    StoredIssue stored = assemble(issue, records);
    LOG.info(
        "Read the {} issue at {}: {} forecasts in {} ms (store {} ms)",
        issue.variable().key(),
        issue.issueTime(),
        records.size(),
        (System.nanoTime() - start) / 1_000_000,
        (read - start) / 1_000_000);
    return stored;
  }

  private StoredIssue assemble(ForecastIssue issue, List<ForecastRecord> records) {
    TreeSet<Instant> times = new TreeSet<>();
    for (ForecastRecord r : records) {
      times.add(r.validTime());
    }
    List<Instant> validTimes = List.copyOf(times);
    Map<Instant, Integer> index = new java.util.HashMap<>();
    for (int i = 0; i < validTimes.size(); i++) {
      index.put(validTimes.get(i), i);
    }
    Map<String, List<ForecastRecord>> byTarget = new LinkedHashMap<>();
    for (ForecastRecord r : records) {
      byTarget.computeIfAbsent(r.targetId(), k -> new ArrayList<>()).add(r);
    }
    List<StoredIssue.Target> stations = new ArrayList<>();
    List<StoredIssue.Target> cells = new ArrayList<>();
    double threshold = Double.NaN;
    Map<Integer, Double> factors = new LinkedHashMap<>();
    for (List<ForecastRecord> target : byTarget.values()) {
      ForecastRecord first = target.get(0);
      double[][] values = new double[validTimes.size()][];
      for (ForecastRecord r : target) {
        ForecastRecord.Quantiles q = r.quantiles();
        values[index.get(r.validTime())] =
            new double[] {
              q.q025(),
              q.q05(),
              q.q25(),
              q.q50(),
              q.q75(),
              q.q95(),
              q.q975(),
              r.mean(),
              r.exceedanceProbability()
            };
        threshold = r.threshold();
        if (first.targetKind() == TargetKind.STATION) {
          factors.putIfAbsent(r.horizonH(), r.intervalFactor());
        }
      }
      StoredIssue.Target t =
          new StoredIssue.Target(first.targetId(), first.lon(), first.lat(), values);
      (first.targetKind() == TargetKind.STATION ? stations : cells).add(t);
    }
    return StoredIssue.of(
        issue.variable(),
        issue.issueTime(),
        issue.issuedAt(),
        issue.modelVersion(),
        threshold,
        issue.cellSizeDeg(),
        validTimes,
        stations,
        cells,
        factors,
        domainKm);
  }
}
