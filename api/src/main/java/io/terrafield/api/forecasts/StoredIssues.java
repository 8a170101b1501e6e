package io.terrafield.api.forecasts;

import io.terrafield.api.problems.NotFoundException;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.ForecastRecord;
import io.terrafield.store.ForecastStore;
import io.terrafield.store.TargetKind;
import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads the stored forecast issues (the forecast job publishes them, see {@link ForecastStore}):
 * the newest issue of a variable, one issue by its instance id, and the list of issues (EDR
 * instances). An issue never changes once published, so the few most recently read issues are kept
 * in memory by (variable, issue time), each read once (concurrent requests for an issue being read
 * wait for that read): every api instance reads the same rows and answers the same. Thread-safe.
 *
 * <p><b>The served newest issue.</b> The queries of the newest issue ({@code
 * /collections/{id}/position|cube|area} without an instance) do not ask the store for the newest
 * issue on each request. A refresher thread ({@code terrafield.forecast.newest-refresh}, default 1
 * s; 0 disables it) asks the store for the newest issue row of each pollutant once per interval,
 * reads a new issue completely, and only then makes it the served newest issue of its variable (an
 * {@link AtomicReference}). Requests meanwhile keep getting the previous issue without waiting for
 * the read. So a newly stored issue is served at most (refresh interval + its read time, 240-720 ms
 * in the demo) after it is stored, and two api instances can answer from different issues during
 * that window (each refreshes on its own; they agree again once both have read it). A failed read
 * is logged, the previous issue stays served, and the next tick reads again. Before the refresher
 * has read an issue of a variable (start-up), or when it is disabled, a newest-issue request asks
 * the store and reads the issue itself as before (and may wait for that read). The instance queries
 * ({@code /instances/{id}/...}) always read the issue they name.
 */
@Component
public class StoredIssues implements SmartLifecycle {

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
  private final Duration refresh;

  /**
   * The served newest issue per pollutant (null until the refresher has read one): the row and the
   * issue read from it. The map is filled at construction and never changes; only the references
   * do.
   */
  private final Map<Variable, AtomicReference<Served>> served = new EnumMap<>(Variable.class);

  /** The refresher thread, null when stopped. */
  private volatile Thread refresher;

  /** A served newest issue: its row and the issue read completely from it. */
  record Served(ForecastIssue row, StoredIssue issue) {}

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
   * @param refresh how often the refresher looks for a new newest issue; zero or negative: no
   *     refresher (every newest-issue request asks the store)
   */
  public StoredIssues(
      ForecastStore store,
      @Value("${terrafield.forecast.domain-km:0}") double domainKm,
      @Value("${terrafield.forecast.newest-refresh:1s}") Duration refresh) {
    this.store = store;
    this.domainKm = domainKm;
    this.refresh = refresh;
    for (Variable v : Variable.values()) {
      if (v.isPollutant()) {
        served.put(v, new AtomicReference<>());
      }
    }
  }

  /** Starts the refresher thread (a daemon) unless the refresh interval is zero. */
  @Override
  public synchronized void start() {
    if (refresher != null || refresh.isZero() || refresh.isNegative()) {
      return;
    }
    Thread t = new Thread(this::refreshLoop, "newest-issue-refresher");
    t.setDaemon(true);
    refresher = t;
    t.start();
    LOG.info("Refreshing the served newest issues every {} ms", refresh.toMillis());
  }

  /** Stops the refresher thread (on context close), waiting up to 5 s for a read under way. */
  @Override
  public void stop() {
    Thread t;
    synchronized (this) {
      t = refresher;
      refresher = null;
    }
    if (t == null) {
      return;
    }
    t.interrupt();
    try {
      t.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return refresher != null;
  }

  private void refreshLoop() {
    Thread me = Thread.currentThread();
    while (refresher == me && !me.isInterrupted()) {
      try {
        refreshNow();
      } catch (RuntimeException | Error e) {
        // a dead refresher would serve the same issue for good: log and go on
        LOG.error("The newest-issue refresh failed; trying again", e);
      }
      try {
        Thread.sleep(Math.max(1, refresh.toMillis()));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * One refresh: for each pollutant, the newest issue row; a row other than the served one is read
   * completely, then served (no stored issue: none is served, the requests ask the store). A
   * failure is logged and leaves the served issue as it was (the next refresh tries again).
   */
  void refreshNow() {
    for (Map.Entry<Variable, AtomicReference<Served>> e : served.entrySet()) {
      Variable v = e.getKey();
      AtomicReference<Served> ref = e.getValue();
      Served current = ref.get();
      try {
        Optional<ForecastIssue> newest = store.newestIssue(v, MODEL);
        if (newest.isEmpty()) {
          // nothing stored (any more): the requests ask the store again (503 while none is)
          if (current != null) {
            ref.compareAndSet(current, null);
            LOG.warn("No {} issue is stored any more: serving none", v.key());
          }
          continue;
        }
        if (current != null && current.row().equals(newest.get())) {
          continue;
        }
        ForecastIssue row = newest.get();
        StoredIssue issue = read(row);
        ref.set(new Served(row, issue));
        LOG.info("Serving the {} issue at {} as the newest", v.key(), row.issueTime());
      } catch (RuntimeException ex) {
        LOG.warn(
            "Could not refresh the newest {} issue (still serving {}; trying again in {} ms): {}",
            v.key(),
            current == null ? "none" : current.row().issueTime(),
            refresh.toMillis(),
            ex.toString());
      }
    }
  }

  /**
   * The issue time of the served newest issue of a variable; empty before the refresher has read
   * one (or when it is disabled).
   */
  public Optional<Instant> servedIssueTime(Variable v) {
    Served s = served(v);
    return s == null ? Optional.empty() : Optional.of(s.row().issueTime());
  }

  /**
   * Where the newest issue of a variable is served ({@link
   * io.terrafield.forecasting.serving.ForecastDomain#bbox}: minLon, minLat, maxLon, maxLat, CRS84
   * degrees), for the collection's extent; empty while no issue is stored.
   */
  public Optional<double[]> servedDomainBbox(Variable v) {
    try {
      return Optional.of(newest(v).domain().bbox());
    } catch (ForecastNotReadyException e) {
      return Optional.empty();
    }
  }

  /** The served newest issue of a variable, or null before the refresher has read one. */
  Served served(Variable v) {
    AtomicReference<Served> ref = served.get(v);
    return ref == null ? null : ref.get();
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
   * The newest published issue of a variable: the served one (see the class comment), else the
   * store's newest, read now.
   *
   * @throws ForecastNotReadyException when none is stored yet
   */
  StoredIssue newest(Variable v) {
    return read(newestRow(v));
  }

  /**
   * The row of the newest published issue of a variable: the served one (see the class comment),
   * else one store query (the issue itself is not read).
   *
   * @throws ForecastNotReadyException when none is stored yet
   */
  ForecastIssue newestRow(Variable v) {
    Served s = served(v);
    if (s != null) {
      return s.row();
    }
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

  /**
   * The stored issue of a row: the served newest issue when it is that row, else read once and kept
   * while it is among the last read.
   */
  StoredIssue read(ForecastIssue issue) {
    Served s = served(issue.variable());
    if (s != null && s.row().equals(issue)) {
      return s.issue();
    }
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
