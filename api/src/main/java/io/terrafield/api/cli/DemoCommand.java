package io.terrafield.api.cli;

import io.terrafield.api.TerrafieldApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.boot.SpringApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code terrafield demo}: everything in one JVM on embedded defaults, replaying real data. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the whole system in one JVM: an in-process Kafka broker (KRaft), the sensor job on a"
          + " local Flink MiniCluster, the embedded H2GIS store and the web server; imports the"
          + " real Beijing data of the --history-days before --replay-from into the store and"
          + " replays the rest live.",
      "Open http://localhost:8080 (the port is --server.port). Ctrl-C stops everything."
    })
public final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--data",
      description = "Folder laid out like shared/data (default: ../shared/data, else ./demo-data).")
  Path data;

  @Option(
      names = "--speedup",
      description = "Data time per wall time of the replay (default: ${DEFAULT-VALUE}).",
      defaultValue = "3600")
  double speedup;

  @Option(
      names = "--replay-from",
      description =
          "First local (UTC+8) hour replayed: auto (the local midnight 60 days before the end of"
              + " the data: 2016-01-01T00:00 for the Beijing data), start, or a date-time like"
              + " 2016-01-01T00:00 (default: terrafield.replay.from, else auto).")
  String replayFrom;

  @Option(
      names = "--history-days",
      description =
          "Days of data before the replay start imported into the store at start-up, before the"
              + " replay (0: none; default: terrafield.history.days, else 365).")
  Integer historyDays;

  @Unmatched List<String> springArguments = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>(springArguments);
    args.add("--terrafield.mode=embedded");
    args.add("--spring.profiles.include=demo");
    args.add("--terrafield.replay.speedup=" + speedup);
    if (replayFrom != null) {
      args.add("--terrafield.replay.from=" + replayFrom);
    }
    if (historyDays != null) {
      if (historyDays < 0) {
        throw new IllegalArgumentException(
            "--history-days: must be >= 0 (0: no history import), was " + historyDays);
      }
      args.add("--terrafield.history.days=" + historyDays);
    }
    if (data != null) {
      args.add("--terrafield.data=" + data.toAbsolutePath());
    }
    SpringApplication.run(TerrafieldApplication.class, args.toArray(String[]::new));
    return 0;
  }
}
