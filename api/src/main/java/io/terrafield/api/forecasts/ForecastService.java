package io.terrafield.api.forecasts;

import io.terrafield.api.alerts.AlertBroadcaster;
import io.terrafield.api.runtime.TerrafieldProperties;
import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.ForecastingException;
import io.terrafield.forecasting.serving.ForecastDomain;
import io.terrafield.forecasting.serving.ForecastPipeline;
import io.terrafield.forecasting.serving.IssuedForecast;
import io.terrafield.forecasting.serving.ServedVerification;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Schedules the served forecast pipeline ({@link ForecastPipeline}, forecasting module) on the
 * stored history and answers queries from its newest issue.
 *
 * <p><b>Warm start.</b> Once the store holds {@code min-history} of hourly history (the embedded
 * runtime imports a year before the replay starts), the evaluated CGLUBNF field ({@code members ×
 * width × epochs}, by default the evaluation's 8 × 256 × 12) is fitted on the last {@code
 * history-days} days — or loaded from its versioned artifact in {@code model-dir} when the same
 * history was fitted before (a restart) — with the progress in the log and in {@link #status}. Less
 * history than {@code min-history}: nothing is served, and the reason says why.
 *
 * <p><b>Issues.</b> Every {@code interval} the newest stored observations are copied into the
 * pipeline's grid, and when a new hour has arrived the forecast for leads 1..72 h is issued from it
 * (the served issue is at most one data hour behind the newest stored hour once an issue takes less
 * than one replayed hour), published ({@link ForecastPublisher}) and later verified against the
 * observations that arrive ({@link #verification}). When the data has moved {@code
 * refit-after-data} past the training window, a new field is fitted in the background on the newest
 * history and swapped in atomically; the old one keeps serving meanwhile.
 *
 * <p>All fits and model preparations run on one JVM-wide thread: PyTorch's gradient mode is
 * thread-local and DJL switches it off only on the engine's first thread, so an in-place optimiser
 * step on another thread fails. Reads are thread-safe.
 */
public class ForecastService implements SmartLifecycle {

  /** The model name of the stored forecasts. */
  public static final String MODEL = "cglubnf";

  /** Lead times 1..72 h. */
  public static final int HORIZONS = 72;

  private static final ExecutorService FIT_THREAD =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "terrafield-fit");
            t.setDaemon(true);
            return t;
          });

  private static final Logger LOG = LoggerFactory.getLogger(ForecastService.class);

  private final TerrafieldStore store;
  private final TerrafieldProperties.Forecast settings;
  private final Clock clock;
  private final ForecastPublisher publisher;
  private final List<Variable> variables;
  private final Map<Variable, State> states = new EnumMap<>(Variable.class);
  private final Object work = new Object();
  private volatile boolean running;
  private volatile boolean stopping;
  private ScheduledExecutorService scheduler;

  /**
   * @param bootstrapServers where Kafka is, asked at the first publication; {@code null} or blank:
   *     no Kafka (forecasts and alerts go to the store and the SSE stream only)
   */
  public ForecastService(
      TerrafieldStore store,
      TerrafieldProperties.Forecast settings,
      Clock clock,
      Supplier<String> bootstrapServers,
      AlertBroadcaster broadcaster) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.publisher =
        new ForecastPublisher(store, bootstrapServers, broadcaster, settings.probability());
    List<Variable> vs = new ArrayList<>();
    for (String key : settings.variables()) {
      vs.add(
          Variable.byKey(key)
              .filter(Variable::isPollutant)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "terrafield.forecast.variables: '" + key + "' is not a pollutant key")));
    }
    this.variables = List.copyOf(vs);
    for (Variable v : variables) {
      State state = new State();
      state.status(
          settings.enabled()
              ? new ForecastStatus("waiting", "waiting for the first observations", clock.instant())
              : new ForecastStatus(
                  "disabled", "forecasting is switched off in this deployment", clock.instant()));
      states.put(v, state);
    }
  }

  /** The forecast variables. */
  public List<Variable> variables() {
    return variables;
  }

  /** When the first forecast of any variable was issued (clock time), if any. */
  public Optional<Instant> firstIssuedAt() {
    return states.values().stream()
        .map(s -> s.firstIssuedAt)
        .filter(java.util.Objects::nonNull)
        .min(Instant::compareTo);
  }

  /**
   * One step for every variable, synchronously: prepare the field when needed, copy new
   * observations, issue when a new hour arrived. Failures and missing history become the status and
   * the "not ready" reason; nothing is thrown.
   */
  public void runOnce() {
    synchronized (work) {
      for (Variable v : variables) {
        if (stopping) {
          return;
        }
        State state = states.get(v);
        try {
          step(v, state);
        } catch (ForecastNotReadyException e) {
          String reason = e.getMessage().substring("forecast not ready: ".length());
          if (state.served == null) {
            state.status(new ForecastStatus("waiting", reason, clock.instant()));
          }
        } catch (RuntimeException e) {
          LOG.warn("Forecast of {} failed: {}", v.key(), e.toString(), e);
          state.status(
              new ForecastStatus(
                  "failed", "the last run failed: " + e.getMessage(), clock.instant()));
        }
      }
    }
  }

  private void step(Variable v, State state) {
    Instant newest =
        ServedHistory.newestHour(store, v)
            .orElseThrow(
                () ->
                    new ForecastNotReadyException(
                        "no " + v.key() + " observations are stored yet"));
    swapRefitIfDone(v, state);
    Served served = state.served;
    if (served == null
        || served.pipeline.indexOf(newest) + 1 > served.pipeline.lastIssuableIndex()) {
      Served fresh = prepare(v, newest, state);
      if (stopping) {
        fresh.close();
        return;
      }
      state.swap(fresh);
      served = fresh;
    } else if (state.refit == null
        && Duration.between(served.trainedThrough, newest).compareTo(settings.refitAfterData())
            >= 0) {
      state.refit = FIT_THREAD.submit(() -> prepareNow(v, newest, state, false));
      LOG.info("Refitting the {} field in the background on the history up to {}", v.key(), newest);
    }
    ForecastPipeline pipeline = served.pipeline;
    Instant syncFrom = served.syncedThrough.minus(Duration.ofHours(6));
    ServedHistory.sync(store, v, pipeline, served.stations, syncFrom, newest);
    served.syncedThrough = newest;
    int issueIndex = pipeline.indexOf(newest) + 1;
    if (issueIndex <= served.lastIssued) {
      return;
    }
    IssuedForecast issue = pipeline.issue(issueIndex);
    publisher.publish(v, issue);
    pipeline.verify(issueIndex);
    served.latest = issue;
    served.lastIssued = issueIndex;
    state.status(
        new ForecastStatus(
            "serving",
            "serving forecasts issued at "
                + issue.issueTime()
                + " from a field fitted on the history up to "
                + served.trainedThrough,
            clock.instant()));
    if (state.firstIssuedAt == null) {
      state.firstIssuedAt = issue.issuedAt();
      LOG.info(
          "First {} forecast issued at {} for {} stations (data up to {}), model {}",
          v.key(),
          issue.issuedAt(),
          issue.targets().size(),
          newest,
          issue.modelVersion());
    }
  }

  private void swapRefitIfDone(Variable v, State state) {
    Future<Served> refit = state.refit;
    if (refit == null || !refit.isDone()) {
      return;
    }
    state.refit = null;
    try {
      Served fresh = refit.get();
      LOG.info("Swapped in the {} field {}", v.key(), fresh.pipeline.modelVersion());
      state.swap(fresh);
    } catch (ExecutionException e) {
      LOG.warn(
          "The background refit of {} failed, the previous field stays in service: {}",
          v.key(),
          e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Prepares a pipeline on the fit thread (blocking this one). */
  private Served prepare(Variable v, Instant newest, State state) {
    Future<Served> f = FIT_THREAD.submit(() -> prepareNow(v, newest, state, true));
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the field was prepared", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("the fit failed: " + e.getCause(), e.getCause());
    }
  }

  private Served prepareNow(Variable v, Instant newest, State state, boolean report) {
    int historyHours = settings.historyDays() * 24;
    Instant from = newest.minus(Duration.ofHours(historyHours - 1L));
    int hours = historyHours + settings.servingDays() * 24 + HORIZONS;
    ServedHistory.Grid grid =
        ServedHistory.read(store, v, from, newest, hours, settings.zoneOffset());
    Duration span = Duration.between(grid.earliest(), newest).plusHours(1);
    if (span.compareTo(settings.minHistory()) < 0) {
      throw new ForecastNotReadyException(
          String.format(
              Locale.ROOT,
              "%s has %.1f days of hourly history up to %s; a field is only served when it is"
                  + " fitted on at least %.0f days (the demo imports a year of history first)",
              v.key(),
              span.toMinutes() / 1440.0,
              newest,
              settings.minHistory().toMinutes() / 1440.0));
    }
    FieldConfig config =
        new FieldConfig(
            true,
            true,
            settings.members(),
            settings.width(),
            2,
            5,
            settings.epochs(),
            settings.batchSize(),
            0.005,
            8,
            16,
            42);
    String key =
        String.join(
            "|",
            v.key(),
            grid.stations().stream().map(Station::id).toList().toString(),
            from.toString(),
            newest.toString(),
            config.toString());
    String version =
        String.format(
            Locale.ROOT,
            "%s-%s-%08x",
            MODEL,
            newest.toString().replace(":", "").replace("-", ""),
            key.hashCode());
    Path file = Path.of(settings.modelDir()).resolve(v.key()).resolve(version + ".field");
    String what =
        String.format(
            Locale.ROOT,
            "%d stations × %.0f days up to %s (%d values; %d members × width %d × %d epochs)",
            grid.stations().size(),
            span.toMinutes() / 1440.0,
            newest,
            grid.observed(),
            settings.members(),
            settings.width(),
            settings.epochs());
    if (report) {
      state.status(
          new ForecastStatus(
              "fitting",
              Files.isRegularFile(file)
                  ? "loading the " + v.key() + " field fitted before on " + what
                  : "fitting the "
                      + v.key()
                      + " field on "
                      + what
                      + "; on 2 cores this takes a few minutes",
              clock.instant()));
    }
    long t0 = System.nanoTime();
    ForecastPipeline pipeline;
    try (PrintStream progress = progressStream(v, state, report)) {
      pipeline = preparePipeline(grid, file, config, version, progress);
    }
    LOG.info(
        "{} the {} field {} on {} in {} s: {}",
        pipeline.loadedFromArtifact() ? "Loaded" : "Fitted",
        v.key(),
        version,
        what,
        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9),
        pipeline.describe());
    return new Served(pipeline, grid.stations(), newest);
  }

  private ForecastPipeline preparePipeline(
      ServedHistory.Grid grid,
      Path file,
      FieldConfig config,
      String version,
      PrintStream progress) {
    ForecastPipeline.Settings serving =
        new ForecastPipeline.Settings(
            settings.zoneOffset(), settings.threshold(), HORIZONS, settings.domainKm());
    int fitEnd = settings.historyDays() * 24;
    try {
      return ForecastPipeline.prepare(
          grid.series(), fitEnd, config, file, progress, serving, version, clock);
    } catch (ForecastingException e) {
      if (!Files.isRegularFile(file)) {
        throw e;
      }
      LOG.warn("The model artifact {} is unusable ({}); fitting anew", file, e.getMessage());
      try {
        Files.move(file, file.resolveSibling(file.getFileName() + ".unusable"));
      } catch (java.io.IOException io) {
        throw new IllegalStateException("cannot set aside the unusable artifact " + file, io);
      }
      return ForecastPipeline.prepare(
          grid.series(), fitEnd, config, file, progress, serving, version, clock);
    }
  }

  /** Progress lines of the fit into the log (whole lines) and the status (the latest update). */
  private PrintStream progressStream(Variable v, State state, boolean report) {
    OutputStream lines =
        new OutputStream() {
          private final StringBuilder line = new StringBuilder();

          @Override
          public void write(int b) {
            if (b == '\r' || b == '\n') {
              String text = line.toString().strip();
              line.setLength(0);
              if (!text.isEmpty()) {
                if (report) {
                  ForecastStatus s = state.status;
                  state.status(
                      new ForecastStatus(
                          "fitting",
                          s.message().replaceAll(" — .*$", "") + " — " + text,
                          s.since()));
                }
                if (b == '\n') {
                  LOG.info("{} field: {}", v.key(), text);
                }
              }
            } else {
              line.append((char) b);
            }
          }
        };
    return new PrintStream(lines, true, StandardCharsets.UTF_8);
  }

  /**
   * The forecast at a point for the newest issue: the station forecast when a station lies within
   * {@code nearest-km}, else a field-only forecast at the point.
   *
   * @throws ForecastNotReadyException when there is no issue yet, with the reason
   * @throws OutsideForecastDomainException when the point is outside the forecast domain
   */
  public PositionForecast position(Variable v, double lon, double lat) {
    Served served = requireServed(v);
    IssuedForecast issue = served.latest;
    ForecastDomain domain = served.pipeline.domain();
    requireInside(domain, lon, lat);
    io.terrafield.forecasting.Station nearest = domain.nearest(lon, lat);
    double distance = nearest.distanceKm(lon, lat);
    List<IssuedForecast.Lead> leads;
    String station = null;
    if (distance <= settings.nearestKm()) {
      leads = issue.target(nearest.id()).leads();
      station = nearest.id();
    } else {
      int[] all = new int[HORIZONS];
      for (int h = 0; h < HORIZONS; h++) {
        all[h] = h + 1;
      }
      double[][][] q =
          served.pipeline.fieldQuantiles(
              new double[] {lon}, new double[] {lat}, served.lastIssued, all);
      leads = new ArrayList<>();
      for (int h = 0; h < HORIZONS; h++) {
        leads.add(
            served.pipeline.summarise(h + 1, issue.issueTime().plus(Duration.ofHours(h)), q[h][0]));
      }
    }
    return PositionForecast.of(v, lon, lat, station, distance, issue, leads);
  }

  private static void requireInside(ForecastDomain domain, double lon, double lat) {
    double km = domain.distanceKm(lon, lat);
    if (km > domain.radiusKm()) {
      throw new OutsideForecastDomainException(
          String.format(
              Locale.ROOT,
              "coords: POINT(%s %s) is %.0f km from the nearest station (%s); forecasts are served"
                  + " within %.0f km of the station network",
              lon,
              lat,
              km,
              domain.nearest(lon, lat).id(),
              domain.radiusKm()));
    }
  }

  /**
   * Field-only forecasts on a lon × lat grid for the valid times of the newest issue in [from, to]
   * (inclusive): per valid time and cell {@code mean}, {@code q05}, {@code q50}, {@code q95},
   * {@code p_exceed} as {@code values[name][t][y][x]}; cells outside the forecast domain are NaN.
   *
   * @throws ForecastNotReadyException when there is no issue yet
   * @throws IllegalArgumentException naming {@code datetime} when no valid time of the issue lies
   *     in [from, to]
   */
  public GridForecast grid(Variable v, double[] lons, double[] lats, Instant from, Instant to) {
    Served served = requireServed(v);
    IssuedForecast issue = served.latest;
    List<Integer> hs = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    for (int h = 0; h < HORIZONS; h++) {
      Instant t = issue.issueTime().plus(Duration.ofHours(h));
      if (!t.isBefore(from) && !t.isAfter(to)) {
        hs.add(h + 1);
        times.add(t);
      }
    }
    if (hs.isEmpty()) {
      throw new IllegalArgumentException(
          "datetime: no forecast hour in "
              + from
              + (from.equals(to) ? "" : "/" + to)
              + "; the newest issue covers "
              + issue.issueTime()
              + "/"
              + issue.issueTime().plus(Duration.ofHours(HORIZONS - 1)));
    }
    int[] leads = hs.stream().mapToInt(Integer::intValue).toArray();
    ForecastDomain domain = served.pipeline.domain();
    List<double[]> inside = new ArrayList<>();
    int nx = lons.length;
    int ny = lats.length;
    boolean[][] served2d = new boolean[ny][nx];
    for (int y = 0; y < ny; y++) {
      for (int x = 0; x < nx; x++) {
        if (domain.contains(lons[x], lats[y])) {
          served2d[y][x] = true;
          inside.add(new double[] {lons[x], lats[y]});
        }
      }
    }
    String[] names = {"mean", "q05", "q50", "q95", "p_exceed"};
    double[][][][] values = new double[names.length][leads.length][ny][nx];
    for (double[][][] byName : values) {
      for (double[][] byTime : byName) {
        for (double[] row : byTime) {
          java.util.Arrays.fill(row, Double.NaN);
        }
      }
    }
    if (!inside.isEmpty()) {
      double[] px = inside.stream().mapToDouble(p -> p[0]).toArray();
      double[] py = inside.stream().mapToDouble(p -> p[1]).toArray();
      double[][][] q = served.pipeline.fieldQuantiles(px, py, served.lastIssued, leads);
      for (int t = 0; t < leads.length; t++) {
        int p = 0;
        for (int y = 0; y < ny; y++) {
          for (int x = 0; x < nx; x++) {
            if (!served2d[y][x]) {
              continue;
            }
            IssuedForecast.Lead lead = served.pipeline.summarise(leads[t], times.get(t), q[t][p++]);
            values[0][t][y][x] = lead.mean();
            values[1][t][y][x] = lead.quantiles().q05();
            values[2][t][y][x] = lead.quantiles().q50();
            values[3][t][y][x] = lead.quantiles().q95();
            values[4][t][y][x] = lead.exceedanceProbability();
          }
        }
      }
    }
    Map<String, double[][][]> byName = new java.util.LinkedHashMap<>();
    for (int k = 0; k < names.length; k++) {
      byName.put(names[k], values[k]);
    }
    return new GridForecast(
        v, lons.clone(), lats.clone(), issue.issueTime(), times, byName, settings.threshold());
  }

  /** The forecast domain of a variable's served field, if one is prepared. */
  public Optional<ForecastDomain> domain(Variable v) {
    State state = states.get(v);
    Served served = state == null ? null : state.served;
    return served == null ? Optional.empty() : Optional.of(served.pipeline.domain());
  }

  /** The newest issue of a variable, if any. */
  public Optional<IssuedForecast> latestIssue(Variable v) {
    State state = states.get(v);
    Served served = state == null ? null : state.served;
    return served == null ? Optional.empty() : Optional.ofNullable(served.latest);
  }

  /** What the service of a variable is doing (for the dashboard). */
  public ForecastStatus status(Variable v) {
    State state = states.get(v);
    if (state == null) {
      return new ForecastStatus(
          "disabled", v.key() + " is not forecast in this deployment", clock.instant());
    }
    return state.status;
  }

  /**
   * The verification of the served forecasts of the current field (see {@link ServedVerification}),
   * if a field is serving.
   */
  public Optional<ServedVerification> verification(Variable v) {
    State state = states.get(v);
    Served served = state == null ? null : state.served;
    return served == null ? Optional.empty() : Optional.of(served.pipeline.verification());
  }

  /** The field's artifact version and training window end, if serving. */
  public Optional<String> modelVersion(Variable v) {
    State state = states.get(v);
    Served served = state == null ? null : state.served;
    return served == null ? Optional.empty() : Optional.of(served.pipeline.modelVersion());
  }

  /** Why the variable has no forecast yet, if it has none. */
  public Optional<String> notReadyReason(Variable v) {
    State state = states.get(v);
    if (state == null) {
      return Optional.of(v.key() + " is not forecast");
    }
    Served served = state.served;
    return served != null && served.latest != null
        ? Optional.empty()
        : Optional.of(state.status.message());
  }

  private Served requireServed(Variable v) {
    State state = states.get(v);
    if (state == null) {
      throw new ForecastNotReadyException(
          v.key()
              + " is not forecast (terrafield.forecast.variables="
              + variables.stream().map(Variable::key).toList()
              + ")");
    }
    Served served = state.served;
    if (served == null || served.latest == null) {
      throw new ForecastNotReadyException(state.status.message());
    }
    return served;
  }

  @Override
  public void start() {
    stopping = false;
    running = true;
    if (!settings.enabled()) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "terrafield-forecast");
              t.setDaemon(true);
              return t;
            });
    scheduler.scheduleWithFixedDelay(
        this::runOnce, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    LOG.info(
        "Forecasting {} every {} once {} of hourly history are stored (field: {} members × width"
            + " {} × {} epochs on the last {} days; artifacts in {})",
        variables.stream().map(Variable::key).toList(),
        settings.interval(),
        settings.minHistory(),
        settings.members(),
        settings.width(),
        settings.epochs(),
        settings.historyDays(),
        settings.modelDir());
  }

  @Override
  public void stop() {
    running = false;
    stopping = true;
    if (scheduler != null) {
      // No interrupt: a running fit completes, so no DJL training outlives the service.
      scheduler.shutdown();
      try {
        scheduler.awaitTermination(10, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      scheduler = null;
    }
    publisher.close();
    synchronized (work) {
      for (State state : states.values()) {
        Future<Served> refit = state.refit;
        if (refit != null) {
          try {
            refit.get(10, TimeUnit.MINUTES).close();
          } catch (Exception e) {
            LOG.debug("refit ended with {}", e.toString());
          }
        }
        state.swap(null);
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    // After the streaming runtime (its Kafka broker) starts, stopped before it.
    return Integer.MAX_VALUE - 1536;
  }

  /** The per-variable state. Fields are written by the forecast thread and read by queries. */
  private static final class State {
    volatile Served served;
    volatile ForecastStatus status;
    volatile Future<Served> refit;
    volatile Instant firstIssuedAt;

    void status(ForecastStatus s) {
      status = s;
    }

    /** Replaces the served field; the old one is closed once no query uses it. */
    void swap(Served fresh) {
      Served old = served;
      served = fresh;
      if (old != null && old != fresh) {
        old.close();
      }
    }
  }

  /** A prepared pipeline with its stations and its newest issue. */
  private static final class Served {
    final ForecastPipeline pipeline;
    final List<Station> stations;
    final Instant trainedThrough;
    volatile Instant syncedThrough;
    volatile IssuedForecast latest;
    volatile int lastIssued;

    Served(ForecastPipeline pipeline, List<Station> stations, Instant trainedThrough) {
      this.pipeline = pipeline;
      this.stations = List.copyOf(stations);
      this.trainedThrough = trainedThrough;
      this.syncedThrough = trainedThrough;
    }

    void close() {
      pipeline.close();
    }
  }
}
