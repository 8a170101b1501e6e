package io.terrafield.ingest.cli;

import io.terrafield.imagery.TargetPoint;
import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.EmbeddedKafka;
import io.terrafield.ingest.satellite.SatelliteJob;
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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Entry point of the satellite job on a Flink cluster (the {@code FlinkDeployment} of the Helm
 * chart: {@code entryClass: io.terrafield.ingest.cli.SatelliteJobMain}): scenes on {@code
 * sat.scenes} → features at every station of the store → the store and {@code sat.features};
 * unusable scenes → {@code sat.scenes.rejected}. The stations (the targets) are read from the store
 * at start: a new station needs a restart from the last checkpoint. The store password may come
 * from the environment variable {@code TERRAFIELD_STORE_PASSWORD}. The GeoTIFF a scene names must
 * be readable by the TaskManagers ({@code file:} URIs: a volume mounted at the same path).
 */
@Command(
    name = "satellite-job",
    mixinStandardHelpOptions = true,
    description =
        "Runs the satellite job (sat.scenes → GeoTIFF features at the stations → store + Kafka).")
public final class SatelliteJobMain implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

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
      description =
          "Partitions of topics this job creates when missing (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--buffer-metres",
      defaultValue = "1000",
      description =
          "Radius around each station within which band means and indices are taken"
              + " (default: ${DEFAULT-VALUE}).")
  double bufferMetres;

  @Option(
      names = "--bounded",
      description =
          "Process the scenes announced when the job starts, then stop (back-fills); default:"
              + " run until cancelled.")
  boolean bounded;

  @Override
  public Integer call() throws Exception {
    validate();
    StoreSettings store = new StoreSettings(storeUrl, storeUser, storePassword);
    List<Station> stations;
    try (TerrafieldStore s = store.open()) {
      stations = s.stations();
    }
    if (stations.isEmpty()) {
      throw new IllegalArgumentException(
          "--store-url: the store at " + storeUrl + " has no stations; register stations first");
    }
    List<TargetPoint> targets =
        stations.stream().map(s -> new TargetPoint(s.id(), s.lon(), s.lat())).toList();
    EmbeddedKafka.createTopics(
        bootstrapServers,
        List.of(Topics.SAT_SCENES, Topics.SAT_SCENES_REJECTED, Topics.SAT_FEATURES),
        partitions);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(checkpointInterval.toMillis());
    SatelliteJob.kafka(bootstrapServers, store, targets, bufferMetres, Clock.systemUTC(), bounded)
        .execute(env);
    return 0;
  }

  private void validate() {
    if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
      throw new ParameterException(
          spec.commandLine(),
          "--checkpoint-interval: " + checkpointInterval + " is not a positive duration");
    }
    if (partitions < 1) {
      throw new ParameterException(
          spec.commandLine(), "--partitions: " + partitions + " is not a positive number");
    }
    if (!(bufferMetres > 0 && bufferMetres <= 100_000)) {
      throw new ParameterException(
          spec.commandLine(), "--buffer-metres: " + bufferMetres + " is not in (0, 100000]");
    }
  }

  /** The command line with errors of the job (not of its options) printed as one line, exit 2. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new SatelliteJobMain());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("error: " + e.getMessage());
          return 2;
        });
    return cli;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
