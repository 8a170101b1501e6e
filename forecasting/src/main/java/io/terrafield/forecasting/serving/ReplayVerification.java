package io.terrafield.forecasting.serving;

import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.ForecastingException;
import io.terrafield.forecasting.NeuralField;
import io.terrafield.forecasting.SpaceTimeSeries;
import io.terrafield.forecasting.Station;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The served pipeline replayed offline, as {@code terrafield demo} runs it but without the web
 * stack: a grid of {@code historyDays} of observed hours before the replay start (the field's
 * training window, {@code fitEnd}) followed by hours that are observed one by one; the pipeline is
 * prepared on it with a field artifact (loaded, or fitted and saved there), issues at every hour
 * from the replay start for {@code days} days, observes the next hour, and scores everything it
 * issued with {@link ServedVerification} once the targets (up to 72 h after the last issue) are
 * observed. The served demo's grid starts {@code historyDays} before the replay start at local
 * midnight, so with the demo's artifact the numbers are the demo's.
 *
 * <p>Not thread-safe; one run per call.
 */
public final class ReplayVerification {
  private ReplayVerification() {}

  /**
   * What to replay.
   *
   * @param series the full station × hour data (e.g. {@code AirQualityDatasets.read})
   * @param from the first replayed local day (the first issue is its 00:00)
   * @param days replayed days (issues: 24 per day)
   * @param historyDays days before {@code from} the field is fitted on (the demo's 365)
   * @param fieldFile the field artifact: loaded when it exists, else fitted and saved there
   * @param config the field configuration (used when fitting)
   * @param settings serving settings (zone, threshold, horizons)
   */
  public record Options(
      SpaceTimeSeries series,
      LocalDate from,
      int days,
      int historyDays,
      Path fieldFile,
      FieldConfig config,
      ForecastPipeline.Settings settings) {
    /** Validates the ranges. */
    public Options {
      if (days < 1) {
        throw new ForecastingException("days: must be >= 1, got " + days);
      }
      if (historyDays < 30) {
        throw new ForecastingException("history-days: must be >= 30, got " + historyDays);
      }
      if (!series.hourly()) {
        throw new ForecastingException("data: the replay needs hourly data");
      }
    }
  }

  /**
   * Replays and returns the verification of everything issued.
   *
   * @throws ForecastingException when the data do not cover the history, the replay and the last
   *     issue's lead times, or when the artifact's stations are not the data's
   */
  public static ServedVerification run(Options o, PrintStream progress, Clock clock) {
    return run(o, progress, clock, null);
  }

  /**
   * As {@link #run(Options, PrintStream, Clock)}, with every scored forecast also given to {@code
   * sink} (null: none).
   */
  public static ServedVerification run(
      Options o, PrintStream progress, Clock clock, ForecastPipeline.VerificationSink sink) {
    return run(o, progress, clock, sink, null);
  }

  /**
   * As {@link #run(Options, PrintStream, Clock, ForecastPipeline.VerificationSink)}; with {@code
   * fieldAtStations} (null: none) every issue's field-only forecast at the stations' positions
   * ({@link ForecastPipeline#fieldQuantiles}, what a grid cell there serves: no residual update, no
   * blend with persistence, no served interval correction) is also scored against the same
   * observations, lead L at index issue + L − 1 (its persistence slot holds the same quantiles).
   */
  public static ServedVerification run(
      Options o,
      PrintStream progress,
      Clock clock,
      ForecastPipeline.VerificationSink sink,
      ServedVerification fieldAtStations) {
    return run(o, progress, clock, sink, fieldAtStations, null);
  }

  /**
   * As above; with {@code updatedWithoutStation} (null: none) every issue's field forecast with the
   * residual update carried from the other stations ({@link
   * ForecastPipeline#updatedFieldQuantiles}, each station left out of its own) is scored at the
   * stations' positions: what a grid cell gets at a place without a station.
   */
  public static ServedVerification run(
      Options o,
      PrintStream progress,
      Clock clock,
      ForecastPipeline.VerificationSink sink,
      ServedVerification fieldAtStations,
      ServedVerification updatedWithoutStation) {
    SpaceTimeSeries full = o.series();
    int horizons = o.settings().horizons();
    LocalDateTime start = o.from().atStartOfDay().minusDays(o.historyDays());
    int offset = full.indexOf(start);
    int fitEnd = o.historyDays() * 24;
    int issues = o.days() * 24;
    int hours = fitEnd + issues + horizons;
    if (offset < 0 || offset + hours > full.length()) {
      throw new ForecastingException(
          String.format(
              Locale.ROOT,
              "from: the data (%s .. %s) do not cover %s .. %s (history, replay and %d h leads)",
              full.time(0),
              full.time(full.length() - 1),
              start,
              start.plusHours(hours - 1),
              horizons));
    }
    checkStations(o.fieldFile(), full.stations());
    double[][] truth = new double[full.stations().size()][];
    double[][] live = new double[truth.length][hours];
    for (int s = 0; s < truth.length; s++) {
      truth[s] = Arrays.copyOfRange(full.values()[s], offset, offset + hours);
      Arrays.fill(live[s], Double.NaN);
      System.arraycopy(truth[s], 0, live[s], 0, fitEnd);
    }
    SpaceTimeSeries grid =
        new SpaceTimeSeries(full.target(), full.stations(), start, full.step(), live);
    try (ForecastPipeline pipeline =
        ForecastPipeline.prepare(
            grid, fitEnd, o.config(), o.fieldFile(), progress, o.settings(), "replay", clock)) {
      pipeline.verificationSink(sink);
      for (int issue = fitEnd; issue < fitEnd + issues; issue++) {
        if (issue > fitEnd) {
          observeHour(pipeline, truth, issue - 1);
        }
        pipeline.issue(issue);
        if (fieldAtStations != null) {
          scoreField(pipeline, grid, truth, issue, horizons, fieldAtStations, false);
        }
        if (updatedWithoutStation != null) {
          scoreField(pipeline, grid, truth, issue, horizons, updatedWithoutStation, true);
        }
        pipeline.verify(issue);
        if ((issue - fitEnd + 1) % 24 == 0) {
          progress.printf(Locale.ROOT, "replayed %s%n", grid.time(issue).toLocalDate().toString());
        }
      }
      for (int t = fitEnd + issues - 1; t < hours; t++) {
        observeHour(pipeline, truth, t);
      }
      pipeline.verify(hours);
      progress.println("interval factors of the last issue: " + pipeline.describe());
      return pipeline.verification();
    }
  }

  private static void scoreField(
      ForecastPipeline pipeline,
      SpaceTimeSeries grid,
      double[][] truth,
      int issue,
      int horizons,
      ServedVerification into,
      boolean updatedWithoutStation) {
    List<Station> stations = grid.stations();
    double[] lons = stations.stream().mapToDouble(Station::lon).toArray();
    double[] lats = stations.stream().mapToDouble(Station::lat).toArray();
    int[] leads = java.util.stream.IntStream.rangeClosed(1, horizons).toArray();
    double[][][] q =
        updatedWithoutStation
            ? pipeline.updatedFieldQuantiles(
                lons,
                lats,
                issue,
                leads,
                java.util.stream.IntStream.range(0, lons.length).toArray())
            : pipeline.fieldQuantiles(lons, lats, issue, leads);
    for (int h = 0; h < leads.length; h++) {
      int target = issue + leads[h] - 1;
      for (int s = 0; s < stations.size(); s++) {
        double y = truth[s][target];
        if (!Double.isNaN(y)) {
          into.add(leads[h], q[h][s], q[h][s], y);
        }
      }
    }
  }

  /** The band table of a verification without a reference (n, PICP90, PICP95, MPIW95, CRPS). */
  public static String tableWithoutReference(ServedVerification verification) {
    StringBuilder out = new StringBuilder();
    out.append("| lead | n | PICP90 | PICP95 | MPIW95 | CRPS |\n");
    out.append("|---|---|---|---|---|---|\n");
    for (ServedVerification.Band b : verification.bands()) {
      out.append(
          b.n() == 0
              ? "| " + b.label() + " | 0 | | | | |\n"
              : String.format(
                  Locale.ROOT,
                  "| %s | %d | %.3f | %.3f | %.1f | %.2f |%n",
                  b.label(),
                  b.n(),
                  b.served().picp90(),
                  b.served().picp95(),
                  b.served().mpiw95(),
                  b.served().crps()));
    }
    return out.toString();
  }

  private static void observeHour(ForecastPipeline pipeline, double[][] truth, int t) {
    for (int s = 0; s < truth.length; s++) {
      if (!Double.isNaN(truth[s][t])) {
        pipeline.observe(s, t, truth[s][t]);
      }
    }
  }

  private static void checkStations(Path fieldFile, List<Station> stations) {
    if (fieldFile == null || !Files.isRegularFile(fieldFile)) {
      return;
    }
    try (NeuralField field = NeuralField.load(fieldFile)) {
      List<String> fitted = field.stations().stream().map(Station::id).toList();
      List<String> data = stations.stream().map(Station::id).toList();
      if (!fitted.equals(data)) {
        throw new ForecastingException(
            "field: " + fieldFile + " was fitted on stations " + fitted + ", the data has " + data);
      }
    }
  }

  /** The band table (markdown): n, PICP90, PICP95, MPIW95, CRPS and persistence's CRPS. */
  public static String table(ServedVerification verification) {
    StringBuilder out = new StringBuilder();
    out.append("| lead | n | PICP90 | PICP95 | MPIW95 | CRPS | persistence CRPS |\n");
    out.append("|---|---|---|---|---|---|---|\n");
    for (ServedVerification.Band b : verification.bands()) {
      if (b.n() == 0) {
        out.append("| ").append(b.label()).append(" | 0 | | | | | |\n");
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.3f | %.3f | %.1f | %.2f | %.2f |%n",
              b.label(),
              b.n(),
              b.served().picp90(),
              b.served().picp95(),
              b.served().mpiw95(),
              b.served().crps(),
              b.persistence().crps()));
    }
    return out.toString();
  }

  /**
   * Whether every band meets the served targets (PICP90, PICP95 ranges; CRPS below persistence).
   */
  public static boolean meetsTargets(ServedVerification verification) {
    for (ServedVerification.Band b : verification.bands()) {
      if (b.n() == 0) {
        return false;
      }
      ServedVerification.Scores s = b.served();
      if (s.picp90() < 0.85
          || s.picp90() > 0.95
          || s.picp95() < 0.90
          || s.picp95() > 0.98
          || s.crps() >= b.persistence().crps()) {
        return false;
      }
    }
    return true;
  }
}
