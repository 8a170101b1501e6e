package io.terrafield.api.forecasts;

import io.terrafield.api.alerts.AlertBroadcaster;
import io.terrafield.api.forecasts.ServedField.Served;
import io.terrafield.api.forecasts.ServedField.State;
import io.terrafield.api.runtime.HistoryStatus;
import io.terrafield.api.runtime.TerrafieldProperties;
import io.terrafield.forecasting.serving.ForecastDomain;
import io.terrafield.forecasting.serving.ForecastPipeline;
import io.terrafield.forecasting.serving.IssuedForecast;
import io.terrafield.forecasting.serving.ServedVerification;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
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

  private static final ExecutorService FIT_THREAD = FitThread.EXECUTOR;

  private static final Logger LOG = LoggerFactory.getLogger(ForecastService.class);

  private final TerrafieldStore store;
  private final Supplier<HistoryStatus> history;
  private final TerrafieldProperties.Forecast settings;
  private final Clock clock;
  private final ForecastPublisher publisher;
  private final FieldPreparation preparation;
  private final ForecastQueries queries;
  private final List<Variable> variables;
  private final Map<Variable, State> states = new EnumMap<>(Variable.class);
  private final Object work = new Object();
  private final java.util.concurrent.CompletableFuture<Void> firstField =
      new java.util.concurrent.CompletableFuture<>();
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
    this(store, settings, clock, bootstrapServers, broadcaster, () -> null);
  }

  /**
   * @param bootstrapServers where Kafka is, asked at the first publication; {@code null} or blank:
   *     no Kafka (forecasts and alerts go to the store and the SSE stream only)
   * @param history the start-up import of the history (null: none runs); no field is prepared
   *     before it has finished
   */
  public ForecastService(
      TerrafieldStore store,
      TerrafieldProperties.Forecast settings,
      Clock clock,
      Supplier<String> bootstrapServers,
      AlertBroadcaster broadcaster,
      Supplier<HistoryStatus> history) {
    this.history = history;
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.publisher =
        new ForecastPublisher(store, bootstrapServers, broadcaster, settings.probability());
    this.preparation = new FieldPreparation(store, settings, clock);
    this.queries = new ForecastQueries(settings);
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
          settings.jobEngine()
              ? new ForecastStatus(
                  "job",
                  "forecasts are issued by the Flink forecast job into the store",
                  clock.instant())
              : settings.enabled()
                  ? new ForecastStatus(
                      "waiting", "waiting for the first observations", clock.instant())
                  : new ForecastStatus(
                      "disabled",
                      "forecasting is switched off in this deployment",
                      clock.instant()));
      states.put(v, state);
    }
  }

  /**
   * Completes once the first field serves, or once the service knows it will not prepare one from
   * the stored history (too little of it, disabled, failed): the embedded runtime holds its replay
   * until then.
   */
  public java.util.concurrent.CompletionStage<Void> firstFieldOrNone() {
    return firstField;
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
        } catch (HistoryImportRunning e) {
          state.status(new ForecastStatus("waiting", e.reason, clock.instant()));
        } catch (ForecastNotReadyException e) {
          firstField.complete(null);
          String reason = e.getMessage().substring("forecast not ready: ".length());
          if (state.served == null) {
            state.status(new ForecastStatus("waiting", reason, clock.instant()));
          }
        } catch (RuntimeException e) {
          firstField.complete(null);
          LOG.warn("Forecast of {} failed: {}", v.key(), e.toString(), e);
          state.status(
              new ForecastStatus(
                  "failed", "the last run failed: " + e.getMessage(), clock.instant()));
        }
      }
    }
  }

  private void step(Variable v, State state) {
    HistoryStatus imported = history.get();
    if (imported != null && !imported.finished() && state.served == null) {
      throw new HistoryImportRunning(
          String.format(
              Locale.ROOT,
              "importing the history before the replay start (%.0f %% of %,d readings); the"
                  + " field is fitted on it next",
              100 * imported.fraction(),
              imported.total()));
    }
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
      state.refit = FIT_THREAD.submit(() -> preparation.prepare(v, newest, state, false));
      LOG.info("Refitting the {} field in the background on the history up to {}", v.key(), newest);
    }
    ForecastPipeline pipeline = served.pipeline;
    if (newest.equals(served.syncedThrough) && served.lastIssued > pipeline.indexOf(newest)) {
      return; // nothing new since the last issue
    }
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
    firstField.complete(null);
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
    Future<Served> f = FIT_THREAD.submit(() -> preparation.prepare(v, newest, state, true));
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

  /**
   * The forecast at a point for the newest issue: the station forecast when a station lies within
   * {@code nearest-km}, else a field-only forecast at the point.
   *
   * @throws ForecastNotReadyException when there is no issue yet, with the reason
   * @throws OutsideForecastDomainException when the point is outside the forecast domain
   */
  public PositionForecast position(Variable v, double lon, double lat) {
    return queries.position(requireServed(v), v, lon, lat);
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
    return queries.grid(requireServed(v), v, lons, lats, from, to);
  }

  /** The forecast domain of a variable's served field, if one is prepared. */
  public Optional<ForecastDomain> domain(Variable v) {
    return served(v).map(s -> s.pipeline.domain());
  }

  private Optional<Served> served(Variable v) {
    State state = states.get(v);
    return Optional.ofNullable(state == null ? null : state.served);
  }

  /** The newest issue of a variable, if any. */
  public Optional<IssuedForecast> latestIssue(Variable v) {
    return served(v).map(s -> s.latest);
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
    return served(v).map(s -> s.pipeline.verification());
  }

  /** The field's artifact version and training window end, if serving. */
  public Optional<String> modelVersion(Variable v) {
    return served(v).map(s -> s.pipeline.modelVersion());
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
    if (!settings.enabled() || settings.jobEngine()) {
      // engine=job: the Flink forecast job issues; this service holds no forecasting state
      firstField.complete(null);
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
        "Forecasting {} (new hours read every {} ms) once {} days of hourly history are stored"
            + " (field: {} members × width {} × {} epochs on the last {} days; artifacts in {})",
        variables.stream().map(Variable::key).toList(),
        settings.interval().toMillis(),
        settings.minHistory().toDays(),
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
      // No interrupt (DJL native calls); a fit still running after 20 s ends with the JVM (daemon).
      scheduler.shutdown();
      try {
        scheduler.awaitTermination(20, TimeUnit.SECONDS);
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
            refit.get(20, TimeUnit.SECONDS).close();
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

  /** The start-up import is still running: not ready, but the replay must keep waiting. */
  private static final class HistoryImportRunning extends ForecastNotReadyException {
    final String reason;

    HistoryImportRunning(String reason) {
      super(reason);
      this.reason = reason;
    }
  }
}
