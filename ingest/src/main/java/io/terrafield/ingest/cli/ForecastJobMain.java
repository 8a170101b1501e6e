package io.terrafield.ingest.cli;

import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.categories.CategoryScheme;
import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.forecast.ForecastJob;
import io.terrafield.ingest.forecast.ForecastJobOptions;
import io.terrafield.ingest.kafka.EmbeddedKafka;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point of the forecast job on a Flink cluster (the Helm chart's {@code FlinkDeployment}
 * names {@code io.terrafield.ingest.cli.ForecastJobMain}). The model artifacts come from {@code
 * --model-dir} (a volume the training CronJob writes); the store password may come from {@code
 * TERRAFIELD_STORE_PASSWORD}.
 */
@Command(
    name = "forecast-job",
    mixinStandardHelpOptions = true,
    description =
        "Runs the forecast job (aq.observations.hourly → forecasts and alert episodes → store,"
            + " aq.forecasts, aq.alerts).")
public final class ForecastJobMain implements Callable<Integer> {

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
      names = "--model-dir",
      defaultValue = "${sys:user.home}/.terrafield/models",
      description = "Root of the versioned model artifacts (default: ${DEFAULT-VALUE}).")
  String modelDir;

  @Option(names = "--variables", defaultValue = "pm25", description = "Comma-separated keys.")
  String variables;

  @Option(names = "--history-days", defaultValue = "365", description = "Training window, days.")
  int historyDays;

  @Option(names = "--serving-days", defaultValue = "60", description = "Serving span, days.")
  int servingDays;

  @Option(names = "--members", defaultValue = "8")
  int members;

  @Option(names = "--width", defaultValue = "256")
  int width;

  @Option(names = "--epochs", defaultValue = "12")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "4096")
  int batchSize;

  @Option(names = "--threshold", defaultValue = "75", description = "Exceedance threshold.")
  double threshold;

  @Option(names = "--zone", defaultValue = "+08:00", description = "Offset of the local times.")
  String zone;

  @Option(names = "--cell-size", defaultValue = "0.05", description = "Grid cell size, degrees.")
  double cellSize;

  @Option(
      names = "--scheme",
      defaultValue = "us-epa-aqi",
      description = "Category scheme: us-epa-aqi, eu-eea-aqi or cn-hj-633.")
  String scheme;

  @Option(names = "--raise", defaultValue = "0.5", description = "P(exceedance) raising an alert.")
  double raise;

  @Option(names = "--clear", defaultValue = "0.3", description = "P(exceedance) clearing it.")
  double clear;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions of new topics.")
  int partitions;

  @Option(
      names = "--quiet-issue",
      defaultValue = "PT0S",
      description =
          "Issue the newest hour once no hourly record has arrived for this long, ISO-8601"
              + " (PT0S: only when the watermark passes the hour; default: ${DEFAULT-VALUE}).")
  Duration quietIssue;

  /** The job's options from the command line (also used by the embedded runtime). */
  ForecastJobOptions options() {
    FieldConfig config =
        new FieldConfig(true, true, members, width, 2, 5, epochs, batchSize, 0.005, 8, 16, 42);
    return new ForecastJobOptions(
        modelDir,
        Arrays.stream(variables.split(",")).map(String::trim).toList(),
        config,
        ZoneOffset.of(zone),
        threshold,
        72,
        servingDays * 24,
        (historyDays + servingDays) * 24 + 72,
        0,
        cellSize,
        CategoryScheme.parse(scheme),
        raise,
        clear,
        0.2,
        24,
        Duration.ofHours(1),
        true,
        quietIssue,
        Clock.systemUTC());
  }

  @Override
  public Integer call() throws Exception {
    StoreSettings store = new StoreSettings(storeUrl, storeUser, storePassword);
    EmbeddedKafka.createTopics(
        bootstrapServers,
        List.of(Topics.OBSERVATIONS_HOURLY, Topics.FORECASTS, Topics.ALERTS),
        partitions);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(checkpointInterval.toMillis());
    ForecastJob.kafka(bootstrapServers, store, options(), false).execute(env);
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ForecastJobMain()).execute(args));
  }
}
