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
 * The embedded runtime's training schedule when the Flink forecast job produces the forecasts
 * ({@code terrafield.forecast.engine=job}): once the start-up history import has finished, the
 * field of each variable is trained on the last {@code history-days} of the store ({@link
 * FieldTraining}, on the JVM-wide fit thread) and published into {@code model-dir}, where the job
 * picks it up; then again whenever the data has moved {@code refit-after-data} past the newest
 * artifact's training window. The same artifact is found instead of refitted after a restart. Holds
 * no forecast state: the job serves, the store keeps the issues.
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

  /** One pass over the variables (the schedule calls it). */
  void runOnce() {
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
        LOG.warn("Training the {} field failed: {}", key, e.toString());
      }
    }
  }

  private void trainIfDue(Variable v) throws RuntimeException {
    Optional<Instant> newest = ServedHistory.newestHour(store, v);
    if (newest.isEmpty()) {
      firstArtifact.complete(null);
      return;
    }
    Instant last = trainedThrough.get(v);
    if (last != null
        && Duration.between(last, newest.get()).compareTo(settings.refitAfterData()) < 0) {
      return;
    }
    int hours = settings.historyDays() * 24;
    Instant from = newest.get().minus(Duration.ofHours(hours - 1L));
    ServedHistory.Grid grid =
        ServedHistory.read(store, v, from, newest.get(), hours, settings.zoneOffset());
    Duration span = Duration.between(grid.earliest(), newest.get()).plusHours(1);
    if (span.compareTo(settings.minHistory()) < 0) {
      firstArtifact.complete(null);
      LOG.info(
          "No {} field trained: {} days of history, min-history is {} days",
          v.key(),
          span.toDays(),
          settings.minHistory().toDays());
      return;
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
    LOG.info("Published the {} model artifact {}", v.key(), artifact.field());
  }

  @Override
  public void start() {
    running = true;
    if (!settings.enabled() || !settings.jobEngine()) {
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
