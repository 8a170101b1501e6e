package io.terrafield.ingest.cli;

import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.EmbeddedKafka;
import io.terrafield.ingest.sensor.SensorJob;
import io.terrafield.ingest.sensor.SensorJobOptions;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point of the sensor job on a Flink cluster (e.g. the {@code FlinkDeployment} of the Helm
 * chart: {@code entryClass: io.terrafield.ingest.cli.SensorJobMain}). The known stations are read
 * from the store at start (a new station needs a restart from the last checkpoint). The store
 * password may come from the environment variable {@code TERRAFIELD_STORE_PASSWORD}.
 */
@Command(
    name = "sensor-job",
    mixinStandardHelpOptions = true,
    description = "Runs the sensor job (Kafka → validate → dedupe/hourly → store + Kafka).")
public final class SensorJobMain implements Callable<Integer> {

  @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
  String bootstrapServers;

  @Option(names = "--store-url", required = true, description = "JDBC URL of the store.")
  String storeUrl;

  @Option(names = "--store-user", defaultValue = "", description = "Store user.")
  String storeUser;

  @Option(
      names = "--store-password",
      defaultValue = "${env:TERRAFIELD_STORE_PASSWORD:-}",
      description = "Store password (default: $TERRAFIELD_STORE_PASSWORD).")
  String storePassword;

  @Option(
      names = "--checkpoint-interval",
      defaultValue = "PT10S",
      description = "Checkpoint interval, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration checkpointInterval;

  @Option(
      names = "--partitions",
      defaultValue = "3",
      description = "Partitions of topics this job creates when missing.")
  int partitions;

  @Override
  public Integer call() throws Exception {
    StoreSettings store = new StoreSettings(storeUrl, storeUser, storePassword);
    List<Station> stations;
    try (TerrafieldStore s = store.open()) {
      stations = s.stations();
    }
    if (stations.isEmpty()) {
      throw new IllegalArgumentException(
          "--store-url: the store at " + storeUrl + " has no stations; register stations first");
    }
    EmbeddedKafka.createTopics(
        bootstrapServers,
        List.of(Topics.OBSERVATIONS_RAW, Topics.OBSERVATIONS_REJECTED, Topics.OBSERVATIONS_HOURLY),
        partitions);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(checkpointInterval.toMillis());
    SensorJob.kafka(
            bootstrapServers, store, stations, SensorJobOptions.defaults(Clock.systemUTC()), false)
        .execute(env);
    return 0;
  }

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new SensorJobMain());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("error: " + e.getMessage());
          return 2;
        });
    System.exit(cli.execute(args));
  }
}
