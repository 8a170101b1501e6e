package io.terrafield.api.forecasts;

import io.terrafield.api.runtime.HistoryStatus;
import io.terrafield.api.runtime.TerrafieldProperties;
import io.terrafield.forecasting.training.FieldTraining;
import io.terrafield.forecasting.training.ModelArtifact;
import io.terrafield.forecasting.training.ModelDirectory;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The embedded runtime's training schedule when the Flink forecast job produces the forecasts (the
 * only engine): once the start-up history import has finished, the field of each variable is
 * trained on the last {@code history-days} of the store ({@link FieldTraining}, on the JVM-wide fit
 * thread) and published into {@code model-dir}, where the job picks it up; then again whenever the
 * data has moved {@code refit-after-data} past the newest artifact's training window. The same
 * artifact is found instead of refitted after a restart. Holds no forecast state: the job serves,
 * the store keeps the issues. Its {@link #status} (waiting, loading, fitting, published, failed) is
 * the dashboard's status line until the job's first issue is stored.
 */
public class ForecastTrainer implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(ForecastTrainer.class);

  private final TerrafieldStore store;
  private final TerrafieldProperties.Forecast settings;
  private final Clock clock;
  private final Supplier<HistoryStatus> history;
  private final ModelDirectory directory;
  private final Map<Variable, Instant> trainedThrough = new EnumMap<>(Variable.class);
  private final CompletableFuture<Void> firstArtifact = new CompletableFuture<>();
  private final Map<Variable, ForecastStatus> status =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean running;
  private ScheduledExecutorService scheduler;

  public ForecastTrainer(
      TerrafieldStore store,
      TerrafieldProperties.Forecast settings,
      Clock clock,
      Supplier<HistoryStatus> history) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.history = history;
    this.directory = new ModelDirectory(Path.of(settings.modelDir()));
  }

  /**
   * Completes once an artifact of some variable is published, or once the trainer knows it will not
   * train one from the stored history (too little of it): the replay waits for it.
   */
  public CompletionStage<Void> firstArtifactOrNone() {
    return firstArtifact;
  }

  /** What the training of {@code v} is doing (before the job's first issue: the status line). */
  public ForecastStatus status(Variable v) {
    ForecastStatus s = status.get(v);
    if (s != null) {
      return s;
    }
    if (!settings.enabled()) {
      return new ForecastStatus(
          "disabled", "forecasts are disabled (terrafield.forecast.enabled)", clock.instant());
    }
    if (!settings.variables().contains(v.key())) {
      return new ForecastStatus(
          "not-forecast",
          v.key()
              + " is not forecast (forecast variables: "
              + settings.variables()
              + "; terrafield.forecast.variables)",
          clock.instant());
    }
    return new ForecastStatus(
        "waiting",
        "waiting for the "
            + v.key()
            + " history; the model is trained once the history import has finished",
        clock.instant());
  }

  private void phase(Variable v, String phase, String message) {
    ForecastStatus old = status.get(v);
    if (old == null || !old.phase().equals(phase) || !old.message().equals(message)) {
      status.put(v, new ForecastStatus(phase, message, clock.instant()));
    }
  }

  /** One pass over the variables (the schedule calls it). */
  public void runOnce() {
    HistoryStatus imported = history.get();
    if (imported != null && !imported.finished()) {
      return;
    }
    for (String key : settings.variables()) {
      Variable v = Variable.byKey(key).orElseThrow();
      try {
        trainIfDue(v);
      } catch (RuntimeException e) {
        firstArtifact.complete(null);
        phase(v, "failed", "training the " + key + " model failed: " + e.getMessage());
        LOG.warn("Training the {} field failed: {}", key, e.toString());
      }
    }
  }

  private void trainIfDue(Variable v) throws RuntimeException {
    Optional<Instant> newest = TrainingHistory.newestHour(store, v);
    if (newest.isEmpty()) {
      firstArtifact.complete(null);
      phase(v, "waiting", "waiting for " + v.key() + " observations to train the model on");
      return;
    }
    Instant last = trainedThrough.get(v);
    if (last == null) {
      Optional<ModelArtifact> usable = usableArtifact(v, newest.get());
      if (usable.isPresent()) {
        trainedThrough.put(v, usable.get().trainedThrough());
        firstArtifact.complete(null);
        phase(
            v,
            "published",
            "model "
                + usable.get().version()
                + " (from the model directory) is published; waiting for the forecast job's first "
                + v.key()
                + " issue");
        LOG.info(
            "Serving the {} model artifact {} of the model directory (trained through {})",
            v.key(),
            usable.get().version(),
            usable.get().trainedThrough());
        return;
      }
      last = trainedThrough.get(v);
    }
    if (last != null
        && Duration.between(last, newest.get()).compareTo(settings.refitAfterData()) < 0) {
      return;
    }
    if (last == null) {
      phase(v, "loading", "reading the stored " + v.key() + " history to train the model on");
    }
    int hours = settings.historyDays() * 24;
    Instant from = newest.get().minus(Duration.ofHours(hours - 1L));
    TrainingHistory.Grid grid =
        TrainingHistory.read(store, v, from, newest.get(), hours, settings.zoneOffset());
    Duration span = Duration.between(grid.earliest(), newest.get()).plusHours(1);
    if (span.compareTo(settings.minHistory()) < 0) {
      firstArtifact.complete(null);
      phase(
          v,
          "waiting",
          "waiting for more "
              + v.key()
              + " history: "
              + span.toDays()
              + " of the "
              + settings.minHistory().toDays()
              + " days the model needs");
      LOG.info(
          "No {} field trained: {} days of history, min-history is {} days",
          v.key(),
          span.toDays(),
          settings.minHistory().toDays());
      return;
    }
    if (last == null) {
      phase(
          v,
          "fitting",
          "training the "
              + v.key()
              + " model on "
              + settings.historyDays()
              + " days of history (a cached artifact in the model directory is reused)");
    }
    ModelArtifact artifact;
    try {
      artifact =
          FitThread.EXECUTOR
              .submit(
                  () ->
                      FieldTraining.train(
                          v.key(),
                          grid.series(),
                          newest.get(),
                          settings.zoneOffset(),
                          settings.fieldConfig(),
                          directory,
                          new PrintStream(OutputStream.nullOutputStream()),
                          clock))
              .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
    trainedThrough.put(v, newest.get());
    firstArtifact.complete(null);
    phase(
        v,
        "published",
        "model "
            + artifact.version()
            + " is published; waiting for the forecast job's first "
            + v.key()
            + " issue");
    LOG.info("Published the {} model artifact {}", v.key(), artifact.field());
  }

  /**
   * The newest artifact of the model directory that the forecast job serves for data up to {@code
   * newest}: of this field configuration, trained through at most {@code newest} and less than
   * {@code refit-after-data} before it (a restart, or an artifact trained by {@code terrafield
   * forecast train}), else empty.
   */
  private Optional<ModelArtifact> usableArtifact(Variable v, Instant newest) {
    return directory.list(v.key(), problem -> LOG.warn("Model directory: {}", problem)).stream()
        .filter(a -> a.config().equals(settings.fieldConfig()))
        .filter(a -> !a.trainedThrough().isAfter(newest))
        .filter(
            a ->
                Duration.between(a.trainedThrough(), newest).compareTo(settings.refitAfterData())
                    < 0)
        .max(java.util.Comparator.comparing(ModelArtifact::trainedThrough));
  }

  @Override
  public void start() {
    running = true;
    if (!settings.enabled()) {
      firstArtifact.complete(null);
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "terrafield-train");
              t.setDaemon(true);
              return t;
            });
    scheduler.scheduleWithFixedDelay(
        this::runOnce, 0, Math.max(1000, settings.interval().toMillis()), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    running = false;
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 1536;
  }
}
