package io.terrafield.forecasting.cli;

import io.terrafield.forecasting.AirQualityDatasets;
import io.terrafield.forecasting.FieldBenchmark;
import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.ForecastingException;
import io.terrafield.forecasting.eval.Evaluation;
import io.terrafield.forecasting.eval.MissingPattern;
import io.terrafield.forecasting.serving.ForecastPipeline;
import io.terrafield.forecasting.serving.ReplayVerification;
import io.terrafield.forecasting.serving.ServedVerification;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code forecast}: evaluation and benchmark of the air-quality forecasts. */
@Command(
    name = "forecast",
    mixinStandardHelpOptions = true,
    description = "Air-quality forecasts: rolling-origin evaluation and training benchmark.",
    subcommands = {
      ForecastCommand.Evaluate.class,
      ForecastCommand.Bench.class,
      ForecastCommand.ReplayVerify.class,
      TrainCommand.class
    })
public final class ForecastCommand implements Callable<Integer> {
  /** Creates the command (picocli needs a public no-arg constructor). */
  public ForecastCommand() {}

  @Override
  public Integer call() {
    CommandLine.usage(this, System.err);
    return 2;
  }

  /** Runs the command line; exits with its status. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit status (2 for bad input). */
  public static int execute(String... args) {
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    CommandLine line = new CommandLine(new ForecastCommand());
    line.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof ForecastingException) {
            cmd.getErr().println("error: " + e.getMessage());
            return 2;
          }
          throw e;
        });
    line.setParameterExceptionHandler(
        (e, ignored) -> {
          e.getCommandLine().getErr().println("error: " + e.getMessage());
          return 2;
        });
    return line.execute(args);
  }

  static int[] parseInts(String field, String text) {
    try {
      return Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException e) {
      throw new ForecastingException(
          field + ": expected comma-separated integers, got '" + text + "'");
    }
  }

  /** {@code forecast evaluate}: the evaluation contract of ARCHITECTURE.md. */
  @Command(
      name = "evaluate",
      mixinStandardHelpOptions = true,
      description = "Rolling-origin evaluation; writes report.json, report.md and PNGs.")
  static final class Evaluate implements Callable<Integer> {
    @Option(names = "--dataset", required = true, description = "beijing or germany")
    String dataset;

    @Option(names = "--data", required = true, description = "data directory")
    Path data;

    @Option(names = "--target", required = true, description = "column to forecast")
    String target;

    @Option(names = "--test-from", required = true, description = "first issue day (YYYY-MM-DD)")
    String testFrom;

    @Option(names = "--horizons", defaultValue = "1,6,24,72", description = "steps ahead")
    String horizons;

    @Option(
        names = "--missing",
        defaultValue = "none",
        description = "none|random:R|block:R|station:R|mixed:R")
    String missing;

    @Option(
        names = "--models",
        defaultValue = "cglubnf,bayesnf,persistence,seasonal-naive,climatology")
    String models;

    @Option(names = "--out", required = true, description = "report.json path")
    Path out;

    @Option(names = "--members", defaultValue = "8", description = "ensemble members")
    int members;

    @Option(names = "--width", defaultValue = "256", description = "hidden width")
    int width;

    @Option(names = "--epochs", defaultValue = "12", description = "training epochs")
    int epochs;

    @Option(names = "--seed", defaultValue = "42", description = "seed (fit and missing pattern)")
    long seed;

    @Option(
        names = "--field-cache",
        description =
            "directory to save fitted neural fields in and reuse them from, when data set, target,"
                + " test start, missing pattern, seed and model size are the same")
    Path fieldCache;

    @Override
    public Integer call() {
      LocalDate from;
      try {
        from = LocalDate.parse(testFrom);
      } catch (DateTimeParseException e) {
        throw new ForecastingException("test-from: expected YYYY-MM-DD, got '" + testFrom + "'");
      }
      List<String> names =
          Arrays.stream(models.split(","))
              .map(String::trim)
              .map(s -> s.toLowerCase(Locale.ROOT))
              .toList();
      Evaluation.Options options =
          new Evaluation.Options(
              dataset,
              data,
              target,
              from,
              parseInts("horizons", horizons),
              MissingPattern.parse(missing),
              names,
              out,
              FieldConfig.cglubnf().withSizes(members, width, epochs).withSeed(seed),
              FieldConfig.bayesnf().withSizes(members, width, epochs).withSeed(seed),
              seed,
              fieldCache);
      Evaluation.run(options, Clock.systemUTC(), System.err);
      System.out.println("wrote " + out.toAbsolutePath());
      return 0;
    }
  }

  /**
   * {@code forecast replay-verify}: the served pipeline replayed hour by hour over the data,
   * without the web stack, and its verification by lead band (see {@link ReplayVerification}).
   */
  @Command(
      name = "replay-verify",
      mixinStandardHelpOptions = true,
      description =
          "Replays the served forecast pipeline (issue every hour, observe, verify) and prints"
              + " PICP90, PICP95, MPIW95, CRPS and persistence's CRPS by lead band.")
  static final class ReplayVerify implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Beijing data directory")
    Path data;

    @Option(names = "--target", defaultValue = "PM2.5", description = "column to forecast")
    String target;

    @Option(
        names = "--field",
        required = true,
        description = "field artifact: loaded when it exists, else fitted and saved there")
    Path field;

    @Option(names = "--from", required = true, description = "first replayed day (YYYY-MM-DD)")
    String from;

    @Option(names = "--days", defaultValue = "24", description = "replayed days")
    int days;

    @Option(
        names = "--history-days",
        defaultValue = "365",
        description = "days before --from the field is fitted on")
    int historyDays;

    @Option(names = "--zone", defaultValue = "+08:00", description = "offset of the local times")
    String zone;

    @Option(names = "--threshold", defaultValue = "75", description = "exceedance threshold")
    double threshold;

    @Option(names = "--members", defaultValue = "8", description = "ensemble members (fit)")
    int members;

    @Option(names = "--width", defaultValue = "256", description = "hidden width (fit)")
    int width;

    @Option(names = "--epochs", defaultValue = "12", description = "training epochs (fit)")
    int epochs;

    @Option(
        names = "--dump",
        description =
            "write every scored forecast (issue, lead, station, y, served and persistence"
                + " quantiles at the 199 levels; big-endian binary) to this file for offline studies")
    Path dump;

    @Option(
        names = "--field-at-stations",
        description =
            "also score the field alone at the stations' positions (what a grid cell there serves:"
                + " no residual update, blend or served correction) and print its table")
    boolean fieldAtStations;

    @Override
    public Integer call() throws java.io.IOException {
      LocalDate day;
      try {
        day = LocalDate.parse(from);
      } catch (DateTimeParseException e) {
        throw new ForecastingException("from: expected YYYY-MM-DD, got '" + from + "'");
      }
      ZoneOffset offset;
      try {
        offset = ZoneOffset.of(zone);
      } catch (java.time.DateTimeException e) {
        throw new ForecastingException(
            "zone: expected an offset such as +08:00, got '" + zone + "'");
      }
      ReplayVerification.Options options =
          new ReplayVerification.Options(
              AirQualityDatasets.read("beijing", data, target),
              day,
              days,
              historyDays,
              field,
              FieldConfig.cglubnf().withSizes(members, width, epochs),
              new ForecastPipeline.Settings(offset, threshold, 72, 0));
      ServedVerification v;
      ServedVerification field = fieldAtStations ? new ServedVerification() : null;
      ServedVerification updated = fieldAtStations ? new ServedVerification() : null;
      if (dump == null) {
        v = ReplayVerification.run(options, System.err, Clock.systemUTC(), null, field, updated);
      } else {
        try (java.io.DataOutputStream out =
            new java.io.DataOutputStream(
                new java.io.BufferedOutputStream(
                    java.nio.file.Files.newOutputStream(dump), 1 << 20))) {
          v =
              ReplayVerification.run(
                  options,
                  System.err,
                  Clock.systemUTC(),
                  (issue, lead, station, served, persistence, y) -> {
                    try {
                      out.writeInt(issue);
                      out.writeShort(lead);
                      out.writeShort(station);
                      out.writeFloat((float) y);
                      for (float q : served) {
                        out.writeFloat(q);
                      }
                      for (float q : persistence) {
                        out.writeFloat(q);
                      }
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  },
                  field,
                  updated);
        }
      }
      System.out.printf(
          Locale.ROOT, "served forecasts issued hourly from %s for %d days:%n%n", day, days);
      System.out.print(ReplayVerification.table(v));
      System.out.println(
          ReplayVerification.meetsTargets(v)
              ? "every band meets PICP90 in [0.85, 0.95], PICP95 in [0.90, 0.98], CRPS below"
                  + " persistence"
              : "not every band meets PICP90 in [0.85, 0.95], PICP95 in [0.90, 0.98], CRPS below"
                  + " persistence");
      if (field != null) {
        System.out.printf(
            Locale.ROOT,
            "%nthe field alone at the stations' positions (what a grid cell there serves), same"
                + " issues and observations:%n%n");
        System.out.print(ReplayVerification.tableWithoutReference(field));
        System.out.printf(
            Locale.ROOT,
            "%nthe field with the residual update carried from the other stations, each station"
                + " left out of its own (a place without a station):%n%n");
        System.out.print(ReplayVerification.tableWithoutReference(updated));
      }
      return 0;
    }
  }

  /**
   * {@code forecast bench}: training throughput vs. a DJL matMul ceiling, by default compared
   * across native allocators (jemalloc, glibc with the launcher's tunables, plain glibc) in child
   * JVMs.
   */
  @Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      description =
          "Training throughput (rows x members / s) and GFLOP/s vs. a matMul ceiling, per native"
              + " allocator (child JVMs, alternating rounds, medians).")
  static final class Bench implements Callable<Integer> {
    @Option(names = "--inputs", defaultValue = "128")
    int inputs;

    @Option(names = "--width", defaultValue = "256")
    int width;

    @Option(names = "--depth", defaultValue = "2")
    int depth;

    @Option(names = "--members", defaultValue = "16")
    int members;

    @Option(names = "--rows", defaultValue = "4096")
    int rows;

    @Option(
        names = "--steps",
        defaultValue = "5",
        description = "training steps per round (default ${DEFAULT-VALUE})")
    int steps;

    @Option(
        names = "--rounds",
        defaultValue = "5",
        description =
            "rounds; a round runs every allocator once (or, with --in-process, the matMul ceiling"
                + " and the training steps once); medians are reported (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--gated", description = "CGLU hidden blocks instead of dense layers")
    boolean gated;

    @Option(
        names = "--malloc",
        split = ",",
        defaultValue = "jemalloc,glibc+tunables,glibc",
        description = "allocators to compare (default ${DEFAULT-VALUE})")
    List<String> malloc;

    @Option(
        names = "--in-process",
        description = "measure in this JVM only, with whatever allocator it runs on")
    boolean inProcess;

    @Option(names = "--result-line", hidden = true, description = "print a machine-readable line")
    boolean resultLine;

    @Override
    public Integer call() {
      if (inProcess) {
        FieldBenchmark.Result r =
            FieldBenchmark.run(inputs, width, depth, members, rows, steps, rounds, gated);
        if (resultLine) {
          System.out.println(r.toLine());
          return 0;
        }
        header("model | members | rows");
        row(modelName() + " | " + members + " | " + rows, List.of(r));
        return 0;
      }
      List<FieldBenchmark.Malloc> allocators =
          malloc.stream().map(FieldBenchmark.Malloc::parse).collect(Collectors.toList());
      List<String> child =
          List.of(
              ForecastCommand.class.getName(),
              "bench",
              "--in-process",
              "--result-line",
              "--rounds=1",
              "--steps=" + steps,
              "--inputs=" + inputs,
              "--width=" + width,
              "--depth=" + depth,
              "--members=" + members,
              "--rows=" + rows,
              "--gated=" + gated);
      FieldBenchmark.Comparison c =
          FieldBenchmark.compareMalloc(allocators, rounds, child, System.err);
      System.out.printf(
          Locale.ROOT,
          "%s, %d members x %d rows, %d rounds x %d steps (one child JVM per allocator and"
              + " round, alternating), medians:%n%n",
          modelName(),
          members,
          rows,
          rounds,
          steps);
      header("malloc");
      for (FieldBenchmark.Malloc m : allocators) {
        if (c.runs().containsKey(m)) {
          row(m.label(), c.runs().get(m));
        }
      }
      c.missing().forEach((m, why) -> System.out.printf("%n%s: not run (%s)%n", m.label(), why));
      for (FieldBenchmark.Malloc slow : allocators) {
        if (slow == FieldBenchmark.Malloc.JEMALLOC || !c.runs().containsKey(slow)) {
          continue;
        }
        double[] ratios = c.roundRatios(slow, FieldBenchmark.Malloc.JEMALLOC);
        if (ratios.length > 0) {
          System.out.printf(
              Locale.ROOT,
              "%nstep time %s / jemalloc: %.2f (ratio of medians), %.2f (median of per-round"
                  + " ratios: %s)%n",
              slow.label(),
              c.medianStep(slow) / c.medianStep(FieldBenchmark.Malloc.JEMALLOC),
              FieldBenchmark.median(ratios),
              format(ratios));
        }
      }
      return 0;
    }

    private String modelName() {
      return String.format(
          Locale.ROOT, "%s %d-%d(x%d)-2", gated ? "cglu" : "bnf", inputs, width, depth);
    }

    private static void header(String first) {
      System.out.printf(
          Locale.ROOT,
          "| %s | step s | step s per round | rows x members / s | GFLOP/s | matMul ceiling GFLOP/s"
              + " | ratio to ceiling | page faults / step | RSS MiB |%n",
          first);
      long columns = 9 + first.chars().filter(ch -> ch == '|').count();
      System.out.println("|" + "---|".repeat((int) columns));
    }

    /** One table row from results of one or more rounds (medians over them). */
    private static void row(String first, List<FieldBenchmark.Result> results) {
      double[] step = results.stream().mapToDouble(FieldBenchmark.Result::secondsPerStep).toArray();
      double[] perRound =
          results.size() == 1
              ? results.get(0).roundRatios()
              : results.stream().mapToDouble(FieldBenchmark.Result::ratio).toArray();
      double[] stepsShown =
          results.size() == 1 ? new double[] {results.get(0).secondsPerStep()} : step;
      System.out.printf(
          Locale.ROOT,
          "| %s | %.3f | %s | %.0f | %.1f | %.1f | %.2f (%s) | %.0f | %.0f |%n",
          first,
          FieldBenchmark.median(step),
          format(stepsShown),
          median(results, FieldBenchmark.Result::rowsMembersPerSecond),
          median(results, FieldBenchmark.Result::trainingGflops),
          median(results, FieldBenchmark.Result::ceilingGflops),
          FieldBenchmark.median(perRound),
          format(perRound),
          median(results, FieldBenchmark.Result::faultsPerStep),
          median(results, r -> r.nativeBytes() / (1024.0 * 1024.0)));
    }

    private static double median(
        List<FieldBenchmark.Result> results,
        java.util.function.ToDoubleFunction<FieldBenchmark.Result> value) {
      return FieldBenchmark.median(results.stream().mapToDouble(value).toArray());
    }

    private static String format(double[] values) {
      return Arrays.stream(values)
          .mapToObj(v -> String.format(Locale.ROOT, "%.2f", v))
          .collect(Collectors.joining(" "));
    }
  }
}
