package io.terrafield.forecasting.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.terrafield.forecasting.AirQualityDatasets;
import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.ForecastingException;
import io.terrafield.forecasting.PlausibleRange;
import io.terrafield.forecasting.SpaceTimeSeries;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The rolling-origin evaluation of the forecasting contract (ARCHITECTURE.md).
 *
 * <p>One issue time per day at 00:00 local time from {@code testFrom} to the end of the data.
 * Horizon h targets time index {@code issue + h − 1}: h steps after the newest usable observation
 * (index {@code issue − 1}). Every model sees only the history after the missing-data pattern and
 * only values before the issue time; the scored targets are the original values. Each model is
 * fitted once on the data before {@code testFrom} (the neural fields are not refitted during the
 * test period, as in production where refits run on a schedule).
 */
public final class Evaluation {
  /** All model names accepted by {@code --models}. */
  public static final List<String> MODEL_NAMES =
      List.of("cglubnf", "bayesnf", "persistence", "seasonal-naive", "climatology");

  /**
   * Options of one evaluation run.
   *
   * @param dataset beijing or germany
   * @param data directory laid out like shared/data/airquality/&lt;dataset&gt;
   * @param target the column to forecast
   * @param testFrom first issue day
   * @param horizons horizons in steps of the data (hours or days), each ≥ 1
   * @param missing the missing-data pattern applied to the history
   * @param models model names, from {@link #MODEL_NAMES}
   * @param out the report.json path (report.md and PNGs are written next to it)
   * @param cglubnf configuration of the cglubnf model
   * @param bayesnf configuration of the bayesnf model
   * @param seed seed of the missing-data pattern
   * @param fieldCache directory where fitted neural fields are saved and reused by later runs with
   *     the same data set, target, test start, missing pattern, seed and configuration (null: no
   *     cache)
   */
  public record Options(
      String dataset,
      Path data,
      String target,
      LocalDate testFrom,
      int[] horizons,
      MissingPattern missing,
      List<String> models,
      Path out,
      FieldConfig cglubnf,
      FieldConfig bayesnf,
      long seed,
      Path fieldCache) {
    /** Validates horizons and model names. */
    public Options {
      if (horizons.length == 0) {
        throw new ForecastingException("horizons: at least one horizon is required");
      }
      for (int h : horizons) {
        if (h < 1) {
          throw new ForecastingException("horizons: each horizon must be >= 1, got " + h);
        }
      }
      for (String model : models) {
        if (!MODEL_NAMES.contains(model)) {
          throw new ForecastingException(
              "models: unknown model '" + model + "', expected one of " + MODEL_NAMES);
        }
      }
    }
  }

  private Evaluation() {}

  /** Runs the evaluation, writes report.json, report.md and the PNGs, returns the JSON tree. */
  public static Map<String, Object> run(Options options, Clock clock, PrintStream log) {
    AirQualityDatasets.Read read =
        AirQualityDatasets.readChecked(options.dataset(), options.data(), options.target());
    SpaceTimeSeries original = read.series();
    read.implausible().stream().limit(10).forEach(log::println);
    if (!read.implausible().isEmpty()) {
      log.printf(
          Locale.ROOT,
          "%d values outside the plausible range of %s rejected and read as missing%n",
          read.implausible().size(),
          options.target());
    }
    int testStart = original.indexOf(options.testFrom().atStartOfDay());
    if (testStart <= 0 || testStart >= original.length()) {
      throw new ForecastingException(
          "test-from: "
              + options.testFrom()
              + " is not inside the data ("
              + original.start()
              + " .. "
              + original.time(original.length() - 1)
              + ")");
    }
    int stepsPerWeek = (int) (Duration.ofDays(7).getSeconds() / original.step().getSeconds());
    SpaceTimeSeries observed =
        original.withValues(
            options.missing().apply(original.values(), stepsPerWeek, options.seed()));
    int stepsPerDay = (int) (Duration.ofDays(1).getSeconds() / original.step().getSeconds());
    List<Integer> issues = new ArrayList<>();
    for (int issue = testStart; issue < original.length(); issue += stepsPerDay) {
      issues.add(issue);
    }
    log.printf(
        Locale.ROOT,
        "%s %s: %d stations x %d steps, test from index %d, %d issue times, missing %s%n",
        options.dataset(),
        options.target(),
        original.stations().size(),
        original.length(),
        testStart,
        issues.size(),
        options.missing());

    Map<String, Metrics> overall = new LinkedHashMap<>();
    Map<String, Map<Integer, Metrics>> byHorizon = new LinkedHashMap<>();
    Map<String, Double> trainSeconds = new LinkedHashMap<>();
    Map<String, String> notes = new LinkedHashMap<>();
    List<double[]> fan = new ArrayList<>();
    List<Double> fanObserved = new ArrayList<>();
    String fanModel = null;
    int fanStation = busiestStation(original, testStart);
    for (String name : options.models()) {
      ForecastModel model = create(name, options);
      long t0 = clock.millis();
      model.prepare(observed, testStart);
      double seconds = (clock.millis() - t0) / 1000.0;
      trainSeconds.put(name, seconds);
      log.printf(Locale.ROOT, "%s: prepared in %.1f s%n", name, seconds);
      Metrics all = new Metrics();
      Map<Integer, Metrics> perHorizon = new LinkedHashMap<>();
      for (int h : options.horizons()) {
        perHorizon.put(h, new Metrics());
      }
      try (ProgressBar bar =
          new ProgressBarBuilder()
              .setTaskName(name)
              .setInitialMax(issues.size())
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
              .build()) {
        for (int issue : issues) {
          int[] valid =
              java.util.Arrays.stream(options.horizons())
                  .filter(h -> issue + h - 1 < original.length())
                  .toArray();
          if (valid.length == 0) {
            bar.step();
            continue;
          }
          double[][][] q = model.forecast(observed, issue, valid);
          for (int hi = 0; hi < valid.length; hi++) {
            int target = issue + valid[hi] - 1;
            for (int s = 0; s < original.stations().size(); s++) {
              double y = original.values()[s][target];
              if (!Double.isNaN(y)) {
                all.add(q[hi][s], y);
                perHorizon.get(valid[hi]).add(q[hi][s], y);
              }
            }
          }
          bar.step();
        }
      }
      overall.put(name, all);
      byHorizon.put(name, perHorizon);
      if (fanModel == null || name.equals("cglubnf")) {
        fanModel = name;
        fan.clear();
        fanObserved.clear();
        int[] dayHorizons = new int[stepsPerDay];
        for (int h = 0; h < stepsPerDay; h++) {
          dayHorizons[h] = h + 1;
        }
        int days = stepsPerDay > 1 ? 14 : 120;
        for (int d = 0;
            d < Math.min(days, issues.size()) && issues.get(d) + stepsPerDay <= original.length();
            d++) {
          double[][][] q = model.forecast(observed, issues.get(d), dayHorizons);
          for (int h = 0; h < stepsPerDay; h++) {
            fan.add(q[h][fanStation]);
            fanObserved.add(original.values()[fanStation][issues.get(d) + h]);
          }
        }
      }
      log.printf(
          Locale.ROOT,
          "%s: crps %.3f rmse %.3f mae %.3f picp90 %.3f picp95 %.3f mpiw95 %.2f (n=%d)%n",
          name,
          all.crps(),
          all.rmse(),
          all.mae(),
          all.picp90(),
          all.picp95(),
          all.mpiw95(),
          all.count());
      if (model instanceof NeuralFieldModel neural) {
        notes.put(name, neural.describe());
      }
      if (model instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IllegalStateException("cannot release model " + name, e);
        }
      }
    }
    Map<String, Object> report = report(options, overall, byHorizon, trainSeconds);
    report.put("implausible_values", read.implausible().size());
    writeAll(
        options,
        report,
        overall,
        byHorizon,
        trainSeconds,
        notes,
        original,
        fanStation,
        fanModel,
        fan,
        fanObserved);
    return report;
  }

  private static int busiestStation(SpaceTimeSeries series, int from) {
    int best = 0;
    long bestCount = -1;
    for (int s = 0; s < series.stations().size(); s++) {
      long count = 0;
      for (int t = from; t < series.length(); t++) {
        count += Double.isNaN(series.values()[s][t]) ? 0 : 1;
      }
      if (count > bestCount) {
        bestCount = count;
        best = s;
      }
    }
    return best;
  }

  static ForecastModel create(String name, Options options) {
    return switch (name) {
      case "persistence" -> Baselines.persistence();
      case "seasonal-naive" -> Baselines.seasonalNaive();
      case "climatology" -> Baselines.climatology();
      case "cglubnf" ->
          new NeuralFieldModel(
              name,
              options.cglubnf(),
              cacheFile(name, options),
              System.err,
              PlausibleRange.maxOrInfinity(options.target()));
      case "bayesnf" ->
          new NeuralFieldModel(
              name,
              options.bayesnf(),
              cacheFile(name, options),
              System.err,
              PlausibleRange.maxOrInfinity(options.target()));
      default -> throw new ForecastingException("models: unknown model '" + name + "'");
    };
  }

  /** The cache file of a fitted field: a readable prefix and a hash of everything it depends on. */
  static Path cacheFile(String name, Options options) {
    if (options.fieldCache() == null) {
      return null;
    }
    String base =
        String.join(
            "|",
            name,
            options.dataset(),
            options.data().toAbsolutePath().normalize().toString(),
            options.target(),
            options.testFrom().toString(),
            options.missing().toString(),
            Long.toString(options.seed()),
            (name.equals("cglubnf") ? options.cglubnf() : options.bayesnf()).toString());
    // since session 3 cglubnf is fitted up to the test start, like bayesnf
    String key = name.equals("cglubnf") ? base + "|fitted-before-test-start" : base;
    return options
        .fieldCache()
        .resolve(
            String.format(
                Locale.ROOT,
                "%s-%s-%s-%08x.field",
                name,
                options.dataset(),
                options.missing().toString().replace(':', '_'),
                key.hashCode()));
  }

  private static Map<String, Object> metricsJson(Metrics m) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("crps", m.crps());
    json.put("rmse", m.rmse());
    json.put("mae", m.mae());
    json.put("picp90", m.picp90());
    json.put("picp95", m.picp95());
    json.put("mpiw95", m.mpiw95());
    return json;
  }

  private static Map<String, Object> report(
      Options options,
      Map<String, Metrics> overall,
      Map<String, Map<Integer, Metrics>> byHorizon,
      Map<String, Double> trainSeconds) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("dataset", options.dataset());
    report.put("target", options.target());
    report.put("test_from", options.testFrom().toString());
    report.put("missing", options.missing().toString());
    Map<String, Object> models = new LinkedHashMap<>();
    for (String name : overall.keySet()) {
      Map<String, Object> json = metricsJson(overall.get(name));
      json.put("train_seconds", trainSeconds.get(name));
      Map<String, Object> horizons = new LinkedHashMap<>();
      byHorizon.get(name).forEach((h, m) -> horizons.put(Integer.toString(h), metricsJson(m)));
      json.put("by_horizon", horizons);
      models.put(name, json);
    }
    report.put("models", models);
    return report;
  }

  private static void writeAll(
      Options options,
      Map<String, Object> report,
      Map<String, Metrics> overall,
      Map<String, Map<Integer, Metrics>> byHorizon,
      Map<String, Double> trainSeconds,
      Map<String, String> notes,
      SpaceTimeSeries original,
      int fanStation,
      String fanModel,
      List<double[]> fan,
      List<Double> fanObserved) {
    Path out = options.out().toAbsolutePath();
    Path dir = out.getParent();
    String stem = out.getFileName().toString().replaceFirst("\\.json$", "");
    try {
      Files.createDirectories(dir);
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(out.toFile(), report);
      Plots.reliability(overall, dir.resolve(stem + "-reliability.png"));
      Plots.pitHistograms(overall, dir.resolve(stem + "-pit.png"));
      Plots.fanChart(
          fanModel
              + " at "
              + original.stations().get(fanStation).id()
              + ", "
              + options.target()
              + " (first issue days of the test period)",
          fan,
          fanObserved.stream().mapToDouble(Double::doubleValue).toArray(),
          dir.resolve(stem + "-fan.png"));
      StringBuilder md = new StringBuilder();
      md.append("# Forecast evaluation: ")
          .append(options.dataset())
          .append(' ')
          .append(options.target())
          .append("\n\n");
      md.append("Test from ")
          .append(options.testFrom())
          .append(", missing pattern `")
          .append(options.missing())
          .append("`, horizons ")
          .append(java.util.Arrays.toString(options.horizons()))
          .append(
              " (steps of the data). Lower CRPS/RMSE/MAE is better; PICP90/95 should be "
                  + "0.90/0.95.\n\n");
      md.append(
          "## Overall\n\n| model | CRPS | RMSE | MAE | PICP90 | PICP95 | MPIW95 | n | train s |\n");
      md.append("|---|---|---|---|---|---|---|---|---|\n");
      overall.forEach(
          (name, m) ->
              md.append(row(name, m))
                  .append(
                      String.format(
                          Locale.ROOT, " %d | %.1f |\n", m.count(), trainSeconds.get(name))));
      for (int h : options.horizons()) {
        md.append("\n## Horizon ").append(h).append("\n\n");
        md.append("| model | CRPS | RMSE | MAE | PICP90 | PICP95 | MPIW95 | n |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        byHorizon.forEach(
            (name, map) ->
                md.append(row(name, map.get(h)))
                    .append(String.format(Locale.ROOT, " %d |\n", map.get(h).count())));
      }
      if (!notes.isEmpty()) {
        md.append("\n## Neural field fits\n\n");
        notes.forEach(
            (name, note) -> md.append("- ").append(name).append(": ").append(note).append('\n'));
      }
      md.append("\n![reliability](").append(stem).append("-reliability.png)\n");
      md.append("![PIT](").append(stem).append("-pit.png)\n");
      md.append("![fan chart](").append(stem).append("-fan.png)\n");
      Files.writeString(dir.resolve(stem + ".md"), md, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ForecastingException("out: cannot write " + out + ": " + e.getMessage(), e);
    }
  }

  private static String row(String name, Metrics m) {
    return String.format(
        Locale.ROOT,
        "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f |",
        name,
        m.crps(),
        m.rmse(),
        m.mae(),
        m.picp90(),
        m.picp95(),
        m.mpiw95());
  }
}
