package io.terrafield.forecasting.eval;

import io.terrafield.forecasting.FieldBenchmark;
import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.Forecaster;
import io.terrafield.forecasting.ForecastingException;
import io.terrafield.forecasting.NeuralField;
import io.terrafield.forecasting.SpaceTimeSeries;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The neural fields under evaluation.
 *
 * <ul>
 *   <li>{@code bayesnf}: the BayesNF core fitted on all data before the test period; the predictive
 *       distribution is the field's mixture alone (no update, no calibration).
 *   <li>{@code cglubnf}: graph attention + CGLUs, fitted on all data before the test period (as the
 *       served model is fitted on all history), with the streaming residual update estimated on the
 *       last 60 days (hourly data) or 120 days (daily data) before the test period, and the rolling
 *       interval calibration over the verified forecasts of the previous 120 days, issued from the
 *       start of that slice on (see {@link Forecaster}), then blended per lead with persistence by
 *       {@link QuantileBlend#serve}: from lead 13 h on, the log1p-scale average of the calibrated
 *       field's and persistence's quantiles, narrowed about the median by the online coverage
 *       correction of the served intervals ({@link ServedIntervalCorrection}).
 * </ul>
 *
 * <p>Until session 2 the cglubnf field was fitted before the residual slice (held out); fitting it
 * up to the test start, like bayesnf, gave sharper intervals at every horizon and a lower CRPS at
 * long horizons with the same coverage (forecasting/README.md, "Measured results").
 */
final class NeuralFieldModel implements ForecastModel, AutoCloseable {
  /** Rolling calibration window: the last 120 days of verified forecasts (see Forecaster). */
  private static final int CALIBRATION_WINDOW_DAYS = 120;

  private final String name;
  private final FieldConfig config;
  private final Path cacheFile;
  private final PrintStream progress;
  private final double plausibleMax;
  private boolean fromCache;
  private long peakResidentAfterFit = -1;
  private NeuralField field;
  private Forecaster forecaster;
  private SpaceTimeSeries observed;
  private ForecastModel persistence;
  private final java.util.Map<Integer, Double> latestWeights = new java.util.TreeMap<>();
  private final java.util.Map<Integer, Double> latestCorrections = new java.util.TreeMap<>();
  private ServedIntervalCorrection correction;
  private SpaceTimeSeries current;
  private int residualStart;
  private int testStart;

  /**
   * @param cacheFile where the fitted field is saved, and loaded from instead of fitting when it
   *     exists (null: always fit)
   */
  NeuralFieldModel(String name, FieldConfig config, Path cacheFile) {
    this(name, config, cacheFile, System.err, Double.POSITIVE_INFINITY);
  }

  /**
   * @param progress where the fit's progress bar and messages go
   * @param plausibleMax every quantile is clamped to [0, plausibleMax] (the variable's plausible
   *     range; {@code +∞}: no upper bound)
   */
  NeuralFieldModel(
      String name, FieldConfig config, Path cacheFile, PrintStream progress, double plausibleMax) {
    if (!(plausibleMax > 0)) {
      throw new ForecastingException("plausibleMax: must be > 0, got " + plausibleMax);
    }
    this.name = name;
    this.config = config;
    this.cacheFile = cacheFile;
    this.progress = progress;
    this.plausibleMax = plausibleMax;
  }

  @Override
  public String name() {
    return name;
  }

  private boolean enhanced() {
    return config.graphAttention() || config.gatedUnits();
  }

  @Override
  public void prepare(SpaceTimeSeries observed, int testStart) {
    this.observed = observed;
    this.testStart = testStart;
    int stepsPerDay = (int) (Duration.ofDays(1).getSeconds() / observed.step().getSeconds());
    int heldOutDays = observed.hourly() ? 60 : 120;
    this.residualStart = Math.max(0, testStart - heldOutDays * stepsPerDay);
    if (cacheFile != null && Files.isRegularFile(cacheFile)) {
      this.field = NeuralField.load(cacheFile);
      this.fromCache = true;
      progress.println(name + ": loaded the fitted field from " + cacheFile);
    } else {
      if (cacheFile != null) {
        progress.println(name + ": fitting; the field will be saved to " + cacheFile);
      }
      this.field = NeuralField.fit(observed, testStart, config, progress);
      this.peakResidentAfterFit = FieldBenchmark.peakResidentBytes();
      if (cacheFile != null) {
        try {
          Files.createDirectories(cacheFile.toAbsolutePath().getParent());
        } catch (IOException e) {
          throw new ForecastingException(
              "field-cache: cannot create directory " + cacheFile.getParent() + ": " + e);
        }
        field.save(cacheFile);
      }
    }
    this.forecaster =
        enhanced()
            ? Forecaster.create(field, observed, residualStart, testStart, true)
            : Forecaster.create(field, observed, testStart, false);
    if (enhanced()) {
      forecaster.calibrate(observed, CALIBRATION_WINDOW_DAYS * stepsPerDay);
      this.persistence = Baselines.persistence();
      persistence.prepare(observed, testStart);
      this.correction =
          new ServedIntervalCorrection(
              new ServedIntervalCorrection.Source() {
                @Override
                public double[][] served(int p, int lead) {
                  return bounds(servedQuantiles(current, p, new int[] {lead})[0]);
                }

                @Override
                public double observed(int station, int t) {
                  return current.values()[station][t];
                }
              },
              testStart);
    } else {
      this.persistence = null;
      this.correction = null;
    }
  }

  @Override
  public double[][][] forecast(SpaceTimeSeries observed, int issue, int[] horizons) {
    if (persistence == null) {
      return clamp(forecaster.forecastStations(observed, issue, horizons, QuantileLevels.LEVELS));
    }
    // the correction's recursion first: it issues past forecasts, which reset the field's latest
    // interval factors (read by the grid cells) until this issue's own forecast sets them again
    this.current = observed;
    double[] d = new double[horizons.length];
    for (int h = 0; h < horizons.length; h++) {
      d[h] = issue >= testStart ? correction.factor(issue, horizons[h]) : 1.0;
      latestCorrections.put(horizons[h], d[h]);
    }
    double[][][] q = servedQuantiles(observed, issue, horizons);
    for (int h = 0; h < horizons.length; h++) {
      latestWeights.put(horizons[h], QuantileBlend.fieldWeight(horizons[h]));
      if (horizons[h] >= QuantileBlend.FROM_LEAD) {
        correction.remember(issue, horizons[h], bounds(q[h]));
        for (int s = 0; s < q[h].length; s++) {
          q[h][s] = ServedIntervalCorrection.scaled(q[h][s], QuantileLevels.MEDIAN, d[h]);
        }
      }
    }
    correction.forgetBefore(issue - java.util.Arrays.stream(horizons).max().orElse(0));
    return q;
  }

  /**
   * The field's calibrated quantiles, from lead {@link QuantileBlend#FROM_LEAD} on blended with
   * persistence's ({@link QuantileBlend#serve}), before the served correction: {@code
   * [horizon][station][level]}.
   */
  private double[][][] servedQuantiles(SpaceTimeSeries observed, int issue, int[] horizons) {
    double[][][] q =
        clamp(forecaster.forecastStations(observed, issue, horizons, QuantileLevels.LEVELS));
    double[][][] p = null;
    for (int h = 0; h < horizons.length; h++) {
      if (QuantileBlend.fieldWeight(horizons[h]) < 1.0) {
        p = p != null ? p : clamp(persistence.forecast(observed, issue, horizons));
        for (int s = 0; s < q[h].length; s++) {
          q[h][s] = QuantileBlend.serve(q[h][s], p[h][s], horizons[h]);
        }
      }
    }
    return q;
  }

  /** The levels 0.025, 0.05, 0.5, 0.95, 0.975 of each station's quantiles. */
  private static double[][] bounds(double[][] byStation) {
    double[][] out = new double[byStation.length][];
    for (int s = 0; s < out.length; s++) {
      double[] q = byStation[s];
      out[s] =
          new double[] {
            q[QuantileLevels.Q025],
            q[QuantileLevels.Q05],
            q[QuantileLevels.MEDIAN],
            q[QuantileLevels.Q95],
            q[QuantileLevels.Q975]
          };
    }
    return out;
  }

  private double[][][] clamp(double[][][] q) {
    for (double[][] byStation : q) {
      for (double[] levels : byStation) {
        for (int k = 0; k < levels.length; k++) {
          levels[k] = Math.min(plausibleMax, Math.max(0, levels[k]));
        }
      }
    }
    return q;
  }

  /** The served interval correction d of the latest forecast, per horizon (1: none). */
  java.util.Map<Integer, Double> servedCorrections() {
    return java.util.Map.copyOf(latestCorrections);
  }

  /** The field's weight in the blend of the latest forecast, per horizon (1: the field alone). */
  java.util.Map<Integer, Double> blendWeights() {
    return java.util.Map.copyOf(latestWeights);
  }

  /** The fitted field (after {@link #prepare}). */
  NeuralField field() {
    return field;
  }

  /** The forecaster of the prepared field (after {@link #prepare}). */
  Forecaster forecaster() {
    return forecaster;
  }

  /** Whether {@link #prepare} loaded the field from its file instead of fitting it. */
  boolean loadedFromFile() {
    return fromCache;
  }

  String describe() {
    return String.format(
        Locale.ROOT,
        "%s; fitted before index %d%s; final loss %.4f; %d non-finite steps skipped; %.0f rows x members / s; interval factors of the last issue %s; field weights of the persistence blend %s; served interval corrections %s",
        config,
        testStart,
        fromCache
            ? " (loaded from " + cacheFile.getFileName() + ")"
            : String.format(
                Locale.ROOT,
                " (peak RSS of the process after the fit %d MiB, max heap %d MiB)",
                peakResidentAfterFit >> 20,
                Runtime.getRuntime().maxMemory() >> 20),
        field.lastLoss(),
        field.skippedSteps(),
        field.rowsMembersPerSecond(),
        forecaster.calibrationFactors(),
        latestWeights,
        latestCorrections);
  }

  @Override
  public void close() {
    if (field != null) {
      field.close();
    }
  }
}
