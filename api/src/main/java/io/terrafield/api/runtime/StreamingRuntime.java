package io.terrafield.api.runtime;

import io.terrafield.imagery.TargetPoint;
import io.terrafield.ingest.FlinkSettings;
import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.EmbeddedKafka;
import io.terrafield.ingest.replay.Replay;
import io.terrafield.ingest.satellite.SatelliteJob;
import io.terrafield.ingest.sensor.SensorJob;
import io.terrafield.ingest.sensor.SensorJobOptions;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
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
 * sensor job on a local Flink MiniCluster (unless the jobs run on a Flink cluster); and the replay
 * of the real Beijing data into {@code aq.observations.raw}. Stops in reverse order on shutdown
 * (Ctrl-C), cancelling the job and the replay.
 */
public class StreamingRuntime implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(StreamingRuntime.class);

  private final TerrafieldProperties properties;
  private final TerrafieldStore store;
  private final StoreSettings storeSettings;
  private final DemoData demoData;
  private final Clock clock;
  private volatile boolean running;
  private EmbeddedKafka kafka;
  private JobClient sensorJob;
  private JobClient satelliteJob;
  private Thread replayThread;
  private volatile long replayed;

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

  /** Where Kafka is (the embedded broker's address in embedded mode). */
  public String bootstrapServers() {
    return kafka != null ? kafka.bootstrapServers() : properties.kafka().bootstrapServers();
  }

  /** How many readings the replay has sent so far. */
  public long replayed() {
    return replayed;
  }

  @Override
  public void start() {
    try {
      List<Station> stations = demoData.stations();
      store.upsertStations(stations);
      if (properties.embedded()) {
        Path kafkaDir = Files.createTempDirectory("terrafield-kafka");
        kafka = EmbeddedKafka.start(kafkaDir);
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
      }
      if (properties.replay().enabled()) {
        startReplay(stations);
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
    FlinkSettings.withFileCheckpoints(conf);
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

  private JobClient startSensorJob(List<Station> stations) throws Exception {
    StreamExecutionEnvironment env = localEnvironment();
    SensorJob job =
        SensorJob.kafka(bootstrapServers(), storeSettings, stations, sensorJobOptions(), false);
    JobClient client = job.executeAsync(env);
    LOG.info("Sensor job {} running on a local Flink MiniCluster", client.getJobID());
    return client;
  }

  /**
   * The sensor job's defaults, with the quiet close scaled to the replay: open hours are written
   * once an hour plus the allowed lateness of replayed time has passed without readings (at least 5
   * s), so the replay's last hours reach the store without waiting an hour of wall time.
   */
  private SensorJobOptions sensorJobOptions() {
    SensorJobOptions defaults = SensorJobOptions.defaults(clock);
    if (!properties.replay().enabled() || properties.replay().speedup() <= 0) {
      return defaults;
    }
    long replayedMs = Duration.ofHours(1).plus(defaults.allowedLateness()).toMillis();
    long scaledMs = (long) (replayedMs / properties.replay().speedup());
    return defaults.withQuietClose(Duration.ofMillis(scaledMs).plusSeconds(5));
  }

  private void startReplay(List<Station> stations) {
    Map<String, Station> byId =
        stations.stream().collect(Collectors.toMap(Station::id, Function.identity()));
    Replay replay =
        new Replay(
            bootstrapServers(),
            properties.replay().speedup(),
            ZoneOffset.ofHours(8),
            clock,
            d -> Thread.sleep(d.toMillis(), 0));
    replayThread =
        new Thread(
            () -> {
              try (var observations =
                  demoData.observations(properties.replay().from(), properties.replay().to())) {
                long n = replay.run(observations.iterator(), byId, count -> replayed = count);
                LOG.info("Replay finished: {} readings sent", n);
              } catch (RuntimeException e) {
                LOG.error("Replay stopped: {}", e.getMessage());
              }
            },
            "terrafield-replay");
    replayThread.setDaemon(true);
    replayThread.start();
    LOG.info(
        "Replaying {} at {}x into {}",
        demoData.describe(),
        properties.replay().speedup(),
        Topics.OBSERVATIONS_RAW);
  }

  @Override
  public void stop() {
    running = false;
    if (replayThread != null) {
      replayThread.interrupt();
      join(replayThread);
      replayThread = null;
    }
    cancel(sensorJob);
    sensorJob = null;
    cancel(satelliteJob);
    satelliteJob = null;
    if (kafka != null) {
      kafka.close();
      kafka = null;
    }
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
