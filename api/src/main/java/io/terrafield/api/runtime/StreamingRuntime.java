package io.terrafield.api.runtime;

import io.terrafield.api.ops.FlinkMetricsReporterFactory;
import io.terrafield.forecasting.categories.CategoryScheme;
import io.terrafield.forecasting.training.FieldTraining;
import io.terrafield.imagery.TargetPoint;
import io.terrafield.ingest.FlinkSettings;
import io.terrafield.ingest.ScratchDirectories;
import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.forecast.ForecastJob;
import io.terrafield.ingest.forecast.ForecastJobOptions;
import io.terrafield.ingest.kafka.EmbeddedKafka;
import io.terrafield.ingest.replay.Replay;
import io.terrafield.ingest.satellite.SatelliteJob;
import io.terrafield.ingest.sensor.SensorJob;
import io.terrafield.ingest.sensor.SensorJobOptions;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import io.terrafield.store.importers.BeijingImporter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops the streaming side: in embedded mode an in-process Kafka broker (KRaft); the
 * sensor job on a local Flink MiniCluster (unless the jobs run on a Flink cluster); and, as a real
 * deployment starts with years of history, the warm start and replay of the real Beijing data: on
 * one background thread, first the bulk import of the history before the replay start into the
 * store ({@link #historyStatus()}, see {@link HistoryImport}), then the replay from the replay
 * start into {@code aq.observations.raw} (see {@link ReplayWindow} for the rules). The web server
 * starts while the history is imported. Stops in reverse order on shutdown (Ctrl-C), cancelling the
 * job, the import and the replay.
 */
public class StreamingRuntime implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(StreamingRuntime.class);

  private final TerrafieldProperties properties;
  private final TerrafieldStore store;
  private final StoreSettings storeSettings;
  private final DemoData demoData;
  private final Clock clock;
  private final String metricsScope = UUID.randomUUID().toString();

  /** The broker's log and the jobs' checkpoints, deleted when the runtime stops. */
  private final ScratchDirectories scratch = new ScratchDirectories();

  private volatile boolean running;
  private EmbeddedKafka kafka;
  private JobClient sensorJob;
  private JobClient satelliteJob;
  private JobClient forecastJob;
  private Thread replayThread;
  private volatile long replayed;
  private volatile HistoryImport historyImport;
  private volatile CompletionStage<?> replayGate;
  private volatile HistoryStatus historyStatus = HistoryStatus.pending();
  private final CompletableFuture<HistoryStatus> historyFinished = new CompletableFuture<>();

  public StreamingRuntime(
      TerrafieldProperties properties,
      TerrafieldStore store,
      StoreSettings storeSettings,
      DemoData demoData,
      Clock clock) {
    this.properties = properties;
    this.store = store;
    this.storeSettings = storeSettings;
    this.demoData = demoData;
    this.clock = clock;
  }

  /**
   * The scope under which this runtime's Flink jobs report their counters: the application's
   * registry attaches to it, so another application in the same JVM never mixes its counters in.
   */
  public String metricsScope() {
    return metricsScope;
  }

  /** Where Kafka is (the embedded broker's address in embedded mode). */
  public String bootstrapServers() {
    return kafka != null ? kafka.bootstrapServers() : properties.kafka().bootstrapServers();
  }

  /** How many readings the replay has sent so far. */
  public long replayed() {
    return replayed;
  }

  /**
   * Where the start-up import of the history before the replay start is: phase, readings done of
   * total, the history's time span. Never null.
   */
  public HistoryStatus historyStatus() {
    HistoryImport running = historyImport;
    return running != null ? running.status() : historyStatus;
  }

  /**
   * Completes, with the final {@link #historyStatus()}, once the history import has ended (done,
   * skipped, disabled or failed); e.g. to fit a model on the whole history rather than on the part
   * imported so far.
   */
  public CompletableFuture<HistoryStatus> historyFinished() {
    return historyFinished.copy();
  }

  @Override
  public void start() {
    try {
      // the embedded runtime and the replay register the data's stations; a deployment reads the
      // store's (imported with `terrafield store import`, docs/deployment.md)
      boolean fromData = properties.embedded() || properties.replay().enabled();
      List<Station> stations = fromData ? demoData.stations() : store.stations();
      if (fromData) {
        store.upsertStations(stations);
      } else if (stations.isEmpty()) {
        LOG.warn(
            "The store holds no stations yet: import them with 'terrafield store import'"
                + " (docs/deployment.md); the jobs started now would see none");
      }
      ReplayWindow window = properties.replay().enabled() ? replayWindow() : null;
      if (properties.embedded()) {
        kafka = EmbeddedKafka.start(scratch.create("terrafield-kafka"));
        LOG.info("Embedded Kafka broker (KRaft) at {}", kafka.bootstrapServers());
      }
      EmbeddedKafka.createTopics(
          bootstrapServers(),
          List.of(
              Topics.OBSERVATIONS_RAW,
              Topics.OBSERVATIONS_REJECTED,
              Topics.OBSERVATIONS_HOURLY,
              Topics.SAT_SCENES,
              Topics.SAT_SCENES_REJECTED,
              Topics.SAT_FEATURES,
              Topics.FORECASTS,
              Topics.ALERTS),
          properties.kafka().partitions());
      if (properties.flink().target().equals("local")) {
        sensorJob = startSensorJob(stations);
        satelliteJob = startSatelliteJob(stations);
        if (properties.forecast().enabled()) {
          forecastJob = startForecastJob();
        }
      }
      if (window != null) {
        startReplay(stations, window);
      } else {
        finishHistory(HistoryStatus.disabled("no replay (terrafield.replay.enabled is false)"));
      }
      running = true;
    } catch (IOException e) {
      throw new IllegalStateException("could not start the streaming runtime: " + e, e);
    } catch (Exception e) {
      stop();
      throw new IllegalStateException(
          "could not start the streaming runtime: " + e.getMessage(), e);
    }
  }

  private StreamExecutionEnvironment localEnvironment() {
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_PORT, "0");
    FlinkSettings.withFileCheckpoints(conf, scratch);
    FlinkMetricsReporterFactory.configure(conf, metricsScope);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(properties.flink().parallelism(), conf);
    env.enableCheckpointing(properties.flink().checkpointInterval().toMillis());
    return env;
  }

  private JobClient startSatelliteJob(List<Station> stations) throws Exception {
    List<TargetPoint> targets =
        stations.stream().map(s -> new TargetPoint(s.id(), s.lon(), s.lat())).toList();
    JobClient client =
        SatelliteJob.kafka(bootstrapServers(), storeSettings, targets, 1000, clock, false)
            .executeAsync(localEnvironment());
    LOG.info("Satellite job {} listening on {}", client.getJobID(), Topics.SAT_SCENES);
    return client;
  }

  /**
   * The forecast job on the local MiniCluster: reads the hourly topic, serves the artifacts the
   * training thread writes into {@code model-dir}, and bootstraps its history window from the
   * store.
   */
  private JobClient startForecastJob() throws Exception {
    ForecastJobOptions options = forecastJobOptions(properties.forecast(), clock, true);
    JobClient client =
        ForecastJob.kafka(bootstrapServers(), storeSettings, options, false)
            .executeAsync(localEnvironment());
    LOG.info("Forecast job {} reading {}", client.getJobID(), Topics.OBSERVATIONS_HOURLY);
    return client;
  }

  /**
   * The forecast job's options of these forecast settings (the embedded job and tests).
   *
   * @param catchUp a job behind the stream issues only the newest complete hour, and an hour is
   *     issued once its records are in for {@code quiet-issue} (the live job); false issues every
   *     hour (a bounded test input, whose end completes every hour at once)
   */
  public static ForecastJobOptions forecastJobOptions(
      TerrafieldProperties.Forecast f, java.time.Clock clock, boolean catchUp) {
    return new ForecastJobOptions(
        f.modelDir(),
        f.variables(),
        f.fieldConfig(),
        f.zoneOffset(),
        f.threshold(),
        72,
        f.servingDays() * 24,
        (f.historyDays() + f.servingDays()) * 24 + 72,
        f.domainKm(),
        f.cellSize(),
        CategoryScheme.parse(f.scheme()),
        f.probability(),
        Math.max(0, f.probability() - 0.2),
        0.2,
        24,
        Duration.ZERO,
        catchUp,
        catchUp ? f.quietIssue() : Duration.ZERO,
        clock);
  }

  private JobClient startSensorJob(List<Station> stations) throws Exception {
    StreamExecutionEnvironment env = localEnvironment();
    SensorJob job =
        SensorJob.kafka(bootstrapServers(), storeSettings, stations, sensorJobOptions(), false);
    JobClient client = job.executeAsync(env);
    LOG.info("Sensor job {} running on a local Flink MiniCluster", client.getJobID());
    return client;
  }

  private ReplayWindow replayWindow() {
    TerrafieldProperties.Replay replay = properties.replay();
    if (!properties.forecast().enabled()
        && replay.from().equals(TerrafieldProperties.Replay.AUTO)) {
      // No forecast to warm-start: auto replays all the data through the sensor job.
      replay =
          new TerrafieldProperties.Replay(
              replay.enabled(), replay.speedup(), TerrafieldProperties.Replay.START, replay.to());
    }
    ReplayWindow window =
        ReplayWindow.of(
            replay, properties.history(), demoData.span(), BeijingImporter.LOCAL_OFFSET);
    if (window.historyClipped()) {
      LOG.info(
          "History: the data starts at {}, so only {} of the {} days of terrafield.history.days"
              + " precede the replay start",
          local(window.historyFrom()),
          Duration.between(window.historyFrom(), window.replayFrom()).toDays(),
          properties.history().days());
    }
    return window;
  }

  /**
   * The sensor job's defaults, with the quiet close scaled to the replay: open hours are written
   * once an hour plus the allowed lateness of replayed time has passed without readings (plus 1 s),
   * so the replay's last hours reach the store without waiting an hour of wall time. A quiet close
   * that comes too early only writes an hour that a later reading rewrites.
   */
  private SensorJobOptions sensorJobOptions() {
    SensorJobOptions defaults = SensorJobOptions.defaults(clock);
    if (!properties.replay().enabled() || properties.replay().speedup() <= 0) {
      return defaults;
    }
    long replayedMs = Duration.ofHours(1).plus(defaults.allowedLateness()).toMillis();
    long scaledMs = (long) (replayedMs / properties.replay().speedup());
    return defaults.withQuietClose(Duration.ofMillis(scaledMs).plusSeconds(1));
  }

  private void startReplay(List<Station> stations, ReplayWindow window) {
    Map<String, Station> byId =
        stations.stream().collect(Collectors.toMap(Station::id, Function.identity()));
    Replay replay =
        new Replay(
            bootstrapServers(),
            properties.replay().speedup(),
            BeijingImporter.LOCAL_OFFSET,
            clock,
            d -> Thread.sleep(d.toMillis(), 0),
            properties.forecast().enabled() && properties.flink().target().equals("local")
                ? new ForecastPacer(
                    store,
                    Variable.byKey(properties.forecast().variables().get(0)).orElseThrow(),
                    FieldTraining.MODEL,
                    properties.forecast().maxIssueLag())
                : Replay.Pacer.NONE);
    if (window.hasHistory()) {
      historyImport =
          new HistoryImport(
              store,
              demoData,
              clock,
              properties.history().batchSize(),
              BeijingImporter.LOCAL_OFFSET);
    } else {
      finishHistory(
          HistoryStatus.disabled(
              properties.history().days() == 0
                  ? "no history import (terrafield.history.days is 0)"
                  : "no history: the replay starts at the data's first hour"));
    }
    replayThread =
        new Thread(
            () -> {
              if (!importHistory(window) || !awaitReplayGate()) {
                return;
              }
              LOG.info(
                  "Replaying {} from {} at {}x into {}",
                  demoData.describe(),
                  local(window.replayFrom()),
                  properties.replay().speedup(),
                  Topics.OBSERVATIONS_RAW);
              try (var observations =
                  demoData.observations(window.replayFrom(), window.replayTo())) {
                long n = replay.run(observations.iterator(), byId, count -> replayed = count);
                if (Thread.currentThread().isInterrupted() || !running) {
                  LOG.info("Replay stopped: {} readings sent", n);
                } else {
                  LOG.info("Replay finished: {} readings sent", n);
                }
              } catch (RuntimeException e) {
                LOG.error("Replay stopped: {}", e.getMessage());
              }
            },
            "terrafield-replay");
    replayThread.setDaemon(true);
    replayThread.start();
  }

  /**
   * Holds the replay, after the history import, until {@code gate} completes (the forecast service
   * completes it once its first field serves, or once it knows it will not fit one from the
   * imported history): like a deployment that is installed with its history, trained, then fed
   * live. Call before {@link #start}.
   */
  public void holdReplayUntil(CompletionStage<?> gate) {
    this.replayGate = gate;
  }

  private boolean awaitReplayGate() {
    CompletionStage<?> gate = replayGate;
    if (gate == null) {
      return true;
    }
    if (!gate.toCompletableFuture().isDone()) {
      LOG.info("The replay waits for the first forecast field (progress on the dashboard)");
    }
    try {
      gate.toCompletableFuture().get();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return true;
    }
  }

  /** Runs the history import, if any; false when it failed (then the replay does not start). */
  private boolean importHistory(ReplayWindow window) {
    HistoryImport running = historyImport;
    if (running == null) {
      return true;
    }
    try {
      running.run(window.historyFrom(), window.replayFrom());
      return true;
    } catch (RuntimeException e) {
      if (Thread.currentThread().isInterrupted()) {
        LOG.info("History import stopped: {}", e.getMessage());
      } else {
        LOG.error("{}; the replay does not start", running.status().detail(), e);
      }
      return false;
    } finally {
      finishHistory(running.status());
      historyImport = null;
    }
  }

  private void finishHistory(HistoryStatus status) {
    historyStatus = status;
    historyFinished.complete(status);
  }

  private static String local(Instant t) {
    return ReplayWindow.local(t, BeijingImporter.LOCAL_OFFSET);
  }

  @Override
  public void stop() {
    running = false;
    if (replayThread != null) {
      replayThread.interrupt();
      join(replayThread);
      replayThread = null;
    }
    cancel(forecastJob);
    forecastJob = null;
    cancel(sensorJob);
    sensorJob = null;
    cancel(satelliteJob);
    satelliteJob = null;
    if (kafka != null) {
      kafka.close();
      kafka = null;
    }
    scratch.close();
  }

  private static void cancel(JobClient job) {
    if (job != null) {
      try {
        job.cancel().get();
      } catch (Exception e) {
        LOG.warn("Could not cancel job {} cleanly: {}", job.getJobID(), e.getMessage());
      }
    }
  }

  private static void join(Thread t) {
    try {
      t.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    // Start before the web server starts accepting requests, stop after it.
    return Integer.MAX_VALUE - 2048;
  }
}
