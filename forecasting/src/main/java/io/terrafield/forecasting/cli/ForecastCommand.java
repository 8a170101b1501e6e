package io.terrafield.forecasting.cli;

import io.terrafield.forecasting.FieldBenchmark;
import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.ForecastingException;
import io.terrafield.forecasting.eval.Evaluation;
import io.terrafield.forecasting.eval.MissingPattern;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
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
    subcommands = {ForecastCommand.Evaluate.class, ForecastCommand.Bench.class})
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

  /** {@code forecast bench}: training throughput vs. a DJL matMul ceiling. */
  @Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      description = "Training throughput (rows x members / s) and GFLOP/s vs. a matMul ceiling.")
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
            "alternating rounds of (matMul ceiling, training steps); medians are reported"
                + " (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--gated", description = "CGLU hidden blocks instead of dense layers")
    boolean gated;

    @Override
    public Integer call() {
      FieldBenchmark.Result r =
          FieldBenchmark.run(inputs, width, depth, members, rows, steps, rounds, gated);
      System.out.printf(
          Locale.ROOT,
          "| model | members | rows | step s | rows x members / s | GFLOP/s | matMul ceiling GFLOP/s | ratio | ratio per round | RSS MiB |%n");
      System.out.printf(Locale.ROOT, "|---|---|---|---|---|---|---|---|---|---|%n");
      System.out.printf(
          Locale.ROOT,
          "| %s %d-%d(x%d)-2 | %d | %d | %.4f | %.0f | %.1f | %.1f | %.2f | %s | %d |%n",
          gated ? "cglu" : "bnf",
          inputs,
          width,
          depth,
          members,
          rows,
          r.secondsPerStep(),
          r.rowsMembersPerSecond(),
          r.trainingGflops(),
          r.ceilingGflops(),
          r.ratio(),
          Arrays.stream(r.roundRatios())
              .mapToObj(v -> String.format(Locale.ROOT, "%.2f", v))
              .collect(Collectors.joining(" ")),
          r.nativeBytes() / (1024 * 1024));
      return 0;
    }
  }
}
