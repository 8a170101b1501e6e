package io.terrafield.forecasting.serving;

import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.ForecastingException;
import io.terrafield.forecasting.PlausibleRange;
import io.terrafield.forecasting.SpaceTimeSeries;
import io.terrafield.forecasting.Station;
import io.terrafield.forecasting.eval.ForecastModel;
import io.terrafield.forecasting.eval.Models;
import io.terrafield.forecasting.eval.QuantileLevels;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The served forecast pipeline: the model that {@code terrafield forecast evaluate} scores, asked
 * at each issue time of a live history.
 *
 * <p>{@link #prepare} builds the evaluated CGLUBNF model ({@link Models#neuralField}): the field is
 * fitted on every observation before index {@code fitEnd} of the history (or loaded from its
 * artifact file), the streaming residual update is estimated on the 60 days before it, and the
 * rolling interval calibration scores re-forecasts of the last 120 days (see {@code Forecaster}).
 * The history grid runs past {@code fitEnd} into the future: as observations arrive, the caller
 * writes them into it with {@link #observe}, and {@link #issue} forecasts from any index whose past
 * is known. Persistence is prepared on the same history and issued at the same times, for the
 * verification.
 *
 * <p>Identity with evaluation: for the same field file, history and issue index, {@link #issue}
 * returns the quantiles that the evaluation's {@code cglubnf} model returns (test:
 * ServeEvaluateIdentityTest).
 *
 * <p>Thread-safe: the methods that touch the model are synchronized.
 */
public final class ForecastPipeline implements AutoCloseable {
  private final SpaceTimeSeries history;
  private final int fitEnd;
  private final Models.NeuralModel model;
  private final ForecastModel persistence;
  private final ZoneOffset zone;
  private final double threshold;
  private final double plausibleMax;
  private final int horizons;
  private final String modelVersion;
  private final ForecastDomain domain;
  private final Clock clock;
  private final ServedVerification verification = new ServedVerification();
  private final Map<Integer, PendingIssue> pending = new TreeMap<>();
  private VerificationSink sink;

  /** Receives every scored forecast (for offline studies: {@code replay-verify --dump}). */
  public interface VerificationSink {
    /**
     * One verified station forecast.
     *
     * @param issue the issue index
     * @param lead hours
     * @param station station index
     * @param served the served quantiles at {@code QuantileLevels.LEVELS}
     * @param persistence persistence's quantiles issued at the same time
     * @param y the observation
     */
    void accept(int issue, int lead, int station, float[] served, float[] persistence, double y);
  }

  /** Sets the sink that sees every scored forecast (null: none). */
  public synchronized void verificationSink(VerificationSink sink) {
    this.sink = sink;
  }

  private ForecastPipeline(
      SpaceTimeSeries history,
      int fitEnd,
      Models.NeuralModel model,
      ForecastModel persistence,
      Settings settings,
      String modelVersion,
      Clock clock) {
    this.history = history;
    this.fitEnd = fitEnd;
    this.model = model;
    this.persistence = persistence;
    this.zone = settings.zone();
    this.threshold = settings.threshold();
    this.plausibleMax = PlausibleRange.maxOrInfinity(history.target());
    this.horizons = settings.horizons();
    this.modelVersion = modelVersion;
    this.domain = ForecastDomain.around(history.stations(), settings.domainRadiusKm());
    this.clock = clock;
  }

  /**
   * Serving settings.
   *
   * @param zone the offset of the history's local times
   * @param threshold the exceedance threshold, in the variable's unit
   * @param horizons the largest lead time, hours (72)
   * @param domainRadiusKm the forecast domain's radius ({@code <= 0}: derived from the network, see
   *     {@link ForecastDomain#around})
   */
  public record Settings(ZoneOffset zone, double threshold, int horizons, double domainRadiusKm) {
    /** Validates. */
    public Settings {
      if (!(threshold >= 0) || Double.isInfinite(threshold)) {
        throw new ForecastingException("threshold: must be a finite number >= 0, got " + threshold);
      }
      if (horizons < 1) {
        throw new ForecastingException("horizons: must be >= 1, got " + horizons);
      }
    }
  }

  /**
   * Prepares the pipeline: fits the field on {@code history} before {@code fitEnd} (or loads it
   * from {@code fieldFile} when that exists; a fitted field is saved there).
   *
   * @param history hourly station × time grid, observed before the newest known hour and NaN after
   *     it; it must extend at least {@code settings.horizons()} steps past every index that will be
   *     issued. The pipeline keeps it and {@link #observe} writes into it.
   * @param fitEnd first index not used for fitting (the training window is [0, fitEnd))
   * @param fieldFile the versioned field artifact, or null
   * @param progress where the fit reports its progress
   * @throws ForecastingException when the history is not hourly, fitEnd is outside it, or the
   *     artifact cannot be read
   */
  public static ForecastPipeline prepare(
      SpaceTimeSeries history,
      int fitEnd,
      FieldConfig config,
      Path fieldFile,
      PrintStream progress,
      Settings settings,
      String modelVersion,
      Clock clock) {
    if (!history.hourly()) {
      throw new ForecastingException("history: the served pipeline needs hourly data");
    }
    if (fitEnd < 1 || fitEnd > history.length()) {
      throw new ForecastingException(
          "fitEnd: " + fitEnd + " is outside the history of " + history.length() + " hours");
    }
    Models.NeuralModel model =
        Models.neuralField(
            "cglubnf", config, fieldFile, progress, PlausibleRange.maxOrInfinity(history.target()));
    try {
      model.prepare(history, fitEnd);
      ForecastModel persistence = Models.persistence();
      persistence.prepare(history, fitEnd);
      return new ForecastPipeline(
          history, fitEnd, model, persistence, settings, modelVersion, clock);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * Computes the interval calibration of the issues {@code first .. first + count − 1} ahead of
   * time: the first issue of each hour of the day verifies 120 daily re-forecasts at every lead
   * (seconds), later ones only the newest. The service calls it for the hours it is about to issue
   * while it prepares a field.
   */
  public synchronized void warmCalibration(int first, int count) {
    int[] leads = new int[horizons];
    for (int h = 0; h < horizons; h++) {
      leads[h] = h + 1;
    }
    model
        .forecaster()
        .warmCalibration(first, Math.min(count, lastIssuableIndex() - first + 1), leads);
  }

  /** The history grid (station × hour) the pipeline forecasts from. */
  public SpaceTimeSeries history() {
    return history;
  }

  /** The first index after the training window. */
  public int fitEnd() {
    return fitEnd;
  }

  /** Where forecasts are served. */
  public ForecastDomain domain() {
    return domain;
  }

  /** The model artifact version. */
  public String modelVersion() {
    return modelVersion;
  }

  /** Whether the field was loaded from its artifact rather than fitted now. */
  public boolean loadedFromArtifact() {
    return model.loadedFromFile();
  }

  /** One line describing the model (configuration, loss, interval factors). */
  public synchronized String describe() {
    return model.describe();
  }

  /** The UTC instant of history index {@code t}. */
  public Instant instantOf(int t) {
    return history.time(t).toInstant(zone);
  }

  /** The history index of an instant (its hour). */
  public int indexOf(Instant time) {
    return history.indexOf(java.time.LocalDateTime.ofInstant(time, zone));
  }

  /** The largest index that can be issued with every lead time inside the history. */
  public int lastIssuableIndex() {
    return history.length() - horizons;
  }

  /**
   * Records an observation (a NaN value clears it). Values at or after an issued index change
   * nothing already issued.
   *
   * @throws ForecastingException naming the station or time when outside the history
   */
  public synchronized void observe(int station, int t, double value) {
    if (station < 0 || station >= history.stations().size()) {
      throw new ForecastingException("station: index " + station + " is not in the history");
    }
    if (t < 0 || t >= history.length()) {
      throw new ForecastingException(
          "time: index " + t + " is outside the history of " + history.length() + " hours");
    }
    history.values()[station][t] = value;
  }

  /**
   * Issues the forecast for lead times 1..H from index {@code issue} (lead 1 = index {@code
   * issue}): only observations before {@code issue} are used. The forecast is remembered and scored
   * by {@link #verify} once its targets are observed.
   *
   * @throws ForecastingException when {@code issue} is not in (0, {@link #lastIssuableIndex()}]
   */
  public synchronized IssuedForecast issue(int issue) {
    if (issue < 1 || issue > lastIssuableIndex()) {
      throw new ForecastingException(
          "issue: index "
              + issue
              + " is outside (0, "
              + lastIssuableIndex()
              + "] of the history; a newer field is needed");
    }
    int[] leads = new int[horizons];
    for (int h = 0; h < horizons; h++) {
      leads[h] = h + 1;
    }
    double[][][] q = model.forecast(history, issue, leads);
    double[][][] p = persistence.forecast(history, issue, leads);
    Map<Integer, Double> factors = model.forecaster().calibrationFactors();
    List<Station> stations = history.stations();
    List<IssuedForecast.Target> targets = new ArrayList<>();
    float[][][] servedLog = new float[horizons][][];
    float[][][] persistenceLog = new float[horizons][][];
    for (int h = 0; h < horizons; h++) {
      servedLog[h] = new float[stations.size()][];
      persistenceLog[h] = new float[stations.size()][];
    }
    for (int s = 0; s < stations.size(); s++) {
      List<IssuedForecast.Lead> out = new ArrayList<>();
      for (int h = 0; h < horizons; h++) {
        double[] quantiles = QuantileFunctions.monotone(q[h][s]);
        out.add(
            new IssuedForecast.Lead(
                h + 1,
                instantOf(issue + h),
                IssuedForecast.Quantiles.of(quantiles),
                QuantileFunctions.mean(quantiles),
                QuantileFunctions.exceedance(quantiles, threshold),
                factors.getOrDefault(h + 1, 1.0)));
        servedLog[h][s] = toFloat(quantiles);
        persistenceLog[h][s] = toFloat(clamp(QuantileFunctions.monotone(p[h][s])));
      }
      Station st = stations.get(s);
      targets.add(new IssuedForecast.Target(st.id(), st.lon(), st.lat(), out));
    }
    pending.put(issue, new PendingIssue(issue, servedLog, persistenceLog));
    return new IssuedForecast(
        history.target(), instantOf(issue), clock.instant(), modelVersion, threshold, targets);
  }

  /**
   * Field-only forecasts at arbitrary points (grid cells, positions between stations) for the valid
   * times {@code issue + h − 1}: quantiles {@code [h][point][level]} at {@link
   * QuantileLevels#LEVELS} with the interval factors of the latest station issue, clamped to the
   * plausible range. Points outside the {@link #domain()} are the caller's to refuse or mask.
   */
  public synchronized double[][][] fieldQuantiles(
      double[] lons, double[] lats, int issue, int[] leads) {
    double[][][] q =
        model
            .forecaster()
            .forecastPoints(lons, lats, history.time(issue), leads, QuantileLevels.LEVELS);
    for (double[][] byPoint : q) {
      for (double[] levels : byPoint) {
        clamp(QuantileFunctions.monotone(levels));
      }
    }
    return q;
  }

  /**
   * As {@link #fieldQuantiles} with the stations' residual update carried to the points ({@link
   * io.terrafield.forecasting.Forecaster#forecastPointsUpdated}); {@code excluded} per point names
   * a station left out (−1: none), null: none.
   */
  public synchronized double[][][] updatedFieldQuantiles(
      double[] lons, double[] lats, int issue, int[] leads, int[] excluded) {
    double[][][] q =
        model
            .forecaster()
            .forecastPointsUpdated(
                history, issue, lons, lats, leads, QuantileLevels.LEVELS, excluded);
    for (double[][] byPoint : q) {
      for (double[] levels : byPoint) {
        clamp(QuantileFunctions.monotone(levels));
      }
    }
    return q;
  }

  /** Named quantiles, mean and P(exceedance) of one quantile vector (e.g. a field cell). */
  public IssuedForecast.Lead summarise(int lead, Instant validTime, double[] quantiles) {
    return new IssuedForecast.Lead(
        lead,
        validTime,
        IssuedForecast.Quantiles.of(quantiles),
        QuantileFunctions.mean(quantiles),
        QuantileFunctions.exceedance(quantiles, threshold),
        model.forecaster().calibrationFactors().getOrDefault(lead, 1.0));
  }

  /**
   * Scores every remembered forecast whose target index is below {@code observedEnd} against the
   * history's value there (absent values are skipped, not counted as misses), then forgets what is
   * fully scored.
   */
  public synchronized void verify(int observedEnd) {
    Iterator<PendingIssue> it = pending.values().iterator();
    while (it.hasNext()) {
      PendingIssue p = it.next();
      while (p.nextLead < horizons && p.issue + p.nextLead < observedEnd) {
        int h = p.nextLead;
        int target = p.issue + h;
        for (int s = 0; s < history.stations().size(); s++) {
          double y = history.values()[s][target];
          if (!Double.isNaN(y)) {
            verification.add(h + 1, toDouble(p.served[h][s]), toDouble(p.persistence[h][s]), y);
            if (sink != null) {
              sink.accept(p.issue, h + 1, s, p.served[h][s], p.persistence[h][s], y);
            }
          }
        }
        p.served[h] = null;
        p.persistence[h] = null;
        p.nextLead++;
      }
      if (p.nextLead >= horizons) {
        it.remove();
      }
    }
  }

  /** The verification of what this pipeline issued. */
  public ServedVerification verification() {
    return verification;
  }

  private double[] clamp(double[] q) {
    for (int k = 0; k < q.length; k++) {
      q[k] = Math.min(plausibleMax, Math.max(0, q[k]));
    }
    return q;
  }

  private static float[] toFloat(double[] q) {
    float[] f = new float[q.length];
    for (int k = 0; k < q.length; k++) {
      f[k] = (float) q[k];
    }
    return f;
  }

  private static double[] toDouble(float[] f) {
    double[] q = new double[f.length];
    for (int k = 0; k < q.length; k++) {
      q[k] = f[k];
    }
    return q;
  }

  @Override
  public synchronized void close() {
    model.close();
  }

  /** An issued forecast awaiting its observations: quantiles [lead][station][level]. */
  private static final class PendingIssue {
    final int issue;
    final float[][][] served;
    final float[][][] persistence;
    int nextLead;

    PendingIssue(int issue, float[][][] served, float[][][] persistence) {
      this.issue = issue;
      this.served = served;
      this.persistence = persistence;
    }
  }
}
