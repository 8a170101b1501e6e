package io.terrafield.api.cli;

import io.terrafield.api.runtime.DemoData;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.EmbeddedKafka;
import io.terrafield.ingest.replay.Replay;
import io.terrafield.store.Station;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code terrafield replay}: publishes the real Beijing data to Kafka as sensor readings. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Publishes the real Beijing hourly data to Kafka topic "
            + Topics.OBSERVATIONS_RAW
            + " as JSON readings, paced at --speedup times real time.")
public final class ReplayCommand implements Callable<Integer> {

  @Option(
      names = "--bootstrap-servers",
      required = true,
      description = "Kafka, e.g. localhost:9092")
  String bootstrapServers;

  @Option(
      names = "--data",
      description = "Folder laid out like shared/data (default: ../shared/data, else ./demo-data).")
  Path data;

  @Option(
      names = "--speedup",
      defaultValue = "3600",
      description = "Data time per wall time (default: ${DEFAULT-VALUE}).")
  double speedup;

  @Option(names = "--from", description = "First local (UTC+8) date-time, e.g. 2015-01-01T00:00.")
  String from;

  @Option(names = "--to", description = "Local (UTC+8) date-time to stop before.")
  String to;

  @Override
  public Integer call() {
    DemoData demo = DemoData.resolve(data);
    List<Station> stations = demo.stations();
    Map<String, Station> byId =
        stations.stream().collect(Collectors.toMap(Station::id, Function.identity()));
    EmbeddedKafka.createTopics(bootstrapServers, List.of(Topics.OBSERVATIONS_RAW), 1);
    try (var observations = demo.observations(from, to);
        ProgressBar bar =
            new ProgressBarBuilder()
                .setTaskName("replay")
                .setUnit(" readings", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .build()) {
      long n =
          new Replay(
                  bootstrapServers,
                  speedup,
                  ZoneOffset.ofHours(8),
                  Clock.systemUTC(),
                  d -> Thread.sleep(d.toMillis()))
              .run(observations.iterator(), byId, bar::stepTo);
      System.err.println();
      System.out.println(
          "replayed " + n + " readings of " + demo.describe() + " to " + Topics.OBSERVATIONS_RAW);
    }
    return 0;
  }
}
