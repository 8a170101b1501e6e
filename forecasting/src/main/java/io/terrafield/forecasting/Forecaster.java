package io.terrafield.forecasting;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Probabilistic forecasts from a fitted {@link NeuralField}, updated with the newest observations.
 *
 * <p><b>Streaming residual update</b> (the CGLUBNF short-horizon correction). With the field's
 * ensemble-mean residual {@code r_t = z_t − μ̄(s, t)} in the latent scale, the residual at lead k
 * after the newest observation is predicted by a direct autoregression fitted on the training
 * period and pooled over stations:
 *
 * <pre>
 *   E[r_{t+k} | r_t] = β_k r_t,   β_k = Σ r_t r_{t+k} / Σ r_t²
 *   Var[r_{t+k} | r_t] = ρ_k Var[r],   ρ_k = mean((r_{t+k} − β_k r_t)²) / mean(r²)
 * </pre>
 *
 * Member m's predictive component becomes {@code N(μ_m + β_k r_last, (c_h σ_m)² ρ_k)}; k counts
 * steps from the newest observed value before the issue time (so a missing recent history makes k
 * larger and the update weaker). The predictive distribution is the equal-weight mixture of the
 * components; quantiles come from root-finding on its CDF, mapped back to the observation scale.
 *
 * <p><b>Interval calibration</b> (optional, {@link #calibrate}): c_h is chosen per horizon on a
 * held-out slice of the training period (not seen by the field) from the grid 0.5, 0.55, .., 4 to
 * minimise (PICP90 − 0.90)² + (PICP95 − 0.95)², computed exactly from the mixture CDF at the
 * held-out observations. Without calibration c_h = 1.
 *
 * <p>Not thread-safe (caches).
 */
public final class Forecaster {
  private final NeuralField field;
  private final SpaceTimeSeries grid;
  private final FieldPrediction cache;
  private final boolean residualUpdate;
  private final int residualFrom;
  private final int residualTo;
  private final int lookback;
  private final Map<Integer, double[]> leadModels = new HashMap<>();
  private final Map<Integer, Double> calibration = new TreeMap<>();
  private double[][] trainResiduals;

  private Forecaster(
      NeuralField field, SpaceTimeSeries grid, int residualFrom, int residualTo, boolean update) {
    this.field = field;
    this.grid = grid;
    this.residualFrom = residualFrom;
    this.residualTo = residualTo;
    this.residualUpdate = update;
    this.cache = field.predictStations(grid, 0, grid.length());
    this.lookback = grid.hourly() ? 168 : 14;
  }

  /**
   * A forecaster over the station × time grid of {@code history} (its time span fixes which times
   * can be forecast at stations).
   *
   * @param fitEnd residual autoregressions use observed values before this index (the field's own
   *     training period, so their persistence is the in-sample one)
   * @param residualUpdate whether to apply the streaming residual update
   */
  public static Forecaster create(
      NeuralField field, SpaceTimeSeries history, int fitEnd, boolean residualUpdate) {
    return create(field, history, 0, fitEnd, residualUpdate);
  }

  /**
   * As {@link #create(NeuralField, SpaceTimeSeries, int, boolean)}, with the residual
   * autoregressions estimated on time indices [residualFrom, residualTo) — preferably a slice the
   * field was not fitted on, whose residuals have the out-of-sample persistence.
   */
  public static Forecaster create(
      NeuralField field,
      SpaceTimeSeries history,
      int residualFrom,
      int residualTo,
      boolean residualUpdate) {
    if (residualFrom < 0 || residualTo <= residualFrom || residualTo > history.length()) {
      throw new ForecastingException(
          "residual window: ["
              + residualFrom
              + ", "
              + residualTo
              + ") is not inside the "
              + history.length()
              + " steps of the history");
    }
    Forecaster forecaster =
        new Forecaster(field, history, residualFrom, residualTo, residualUpdate);
    forecaster.trainResiduals = forecaster.residuals(history);
    return forecaster;
  }

  private double[][] residuals(SpaceTimeSeries observed) {
    int length = grid.length();
    double[][] r = new double[observed.stations().size()][length];
    for (int s = 0; s < r.length; s++) {
      for (int t = 0; t < length; t++) {
        double y = observed.values()[s][t];
        r[s][t] =
            Double.isNaN(y) ? Double.NaN : field.toLatent(y) - cache.ensembleMean(s * length + t);
      }
    }
    return r;
  }

  /** {β_k, ρ_k} at lead k, pooled over stations and the training period. */
  private double[] leadModel(int lead) {
    return leadModels.computeIfAbsent(
        lead,
        k -> {
          double sxy = 0;
          double sxx = 0;
          double marginal = 0;
          long count = 0;
          for (double[] row : trainResiduals) {
            for (int t = residualFrom; t + k < residualTo; t++) {
              if (!Double.isNaN(row[t]) && !Double.isNaN(row[t + k])) {
                sxy += row[t] * row[t + k];
                sxx += row[t] * row[t];
                marginal += row[t + k] * row[t + k];
                count++;
              }
            }
          }
          if (count < 20 || sxx <= 0) {
            return new double[] {0, 1};
          }
          double beta = sxy / sxx;
          double residual = (marginal - 2 * beta * sxy + beta * beta * sxx) / count;
          return new double[] {beta, Math.min(1, Math.max(0.01, residual / (marginal / count)))};
        });
  }

  private double factor(int horizon) {
    Double exact = calibration.get(horizon);
    if (exact != null) {
      return exact;
    }
    return calibration.isEmpty()
        ? 1.0
        : calibration.entrySet().stream()
            .min(
                (a, b) ->
                    Integer.compare(Math.abs(a.getKey() - horizon), Math.abs(b.getKey() - horizon)))
            .get()
            .getValue();
  }

  /** The calibration factor c_h per calibrated horizon. */
  public Map<Integer, Double> calibrationFactors() {
    return Map.copyOf(calibration);
  }

  /** Latent-scale mixture components {means, sds} for station s, target index, issue. */
  private double[][] components(SpaceTimeSeries observed, int s, int issue, int target, double c) {
    int members = cache.mean().length;
    int row = s * grid.length() + target;
    double shift = 0;
    double ratio = 1;
    if (residualUpdate) {
      double[] values = observed.values()[s];
      for (int t = issue - 1; t >= Math.max(0, issue - lookback); t--) {
        if (!Double.isNaN(values[t])) {
          double[] model = leadModel(target - t);
          double residual = field.toLatent(values[t]) - cache.ensembleMean(s * grid.length() + t);
          shift = model[0] * residual;
          ratio = model[1];
          break;
        }
      }
    }
    double[] mean = new double[members];
    double[] sd = new double[members];
    for (int m = 0; m < members; m++) {
      mean[m] = cache.mean()[m][row] + shift;
      sd[m] = cache.sd()[m][row] * Math.sqrt(ratio) * c;
    }
    return new double[][] {mean, sd};
  }

  private void checkIssue(int issue, int[] horizons) {
    for (int h : horizons) {
      if (h < 1) {
        throw new ForecastingException("horizons: each horizon must be >= 1, got " + h);
      }
      if (issue + h - 1 >= grid.length() || issue < 1) {
        throw new ForecastingException(
            "issue: index "
                + issue
                + " with horizon "
                + h
                + " is outside the grid of "
                + grid.length()
                + " steps");
      }
    }
  }

  /**
   * Quantiles {@code [horizon][station][level]} (observation scale) at the fitted stations for
   * target index {@code issue + h − 1}, using only values of {@code observed} before {@code issue}.
   */
  public double[][][] forecastStations(
      SpaceTimeSeries observed, int issue, int[] horizons, double[] levels) {
    checkIssue(issue, horizons);
    int stations = observed.stations().size();
    double[][][] out = new double[horizons.length][stations][];
    for (int hi = 0; hi < horizons.length; hi++) {
      double c = factor(horizons[hi]);
      for (int s = 0; s < stations; s++) {
        double[][] comp = components(observed, s, issue, issue + horizons[hi] - 1, c);
        double[] q = MixtureQuantiles.quantiles(comp[0], comp[1], levels);
        for (int k = 0; k < q.length; k++) {
          q[k] = field.toObservation(q[k]);
        }
        out[hi][s] = q;
      }
    }
    return out;
  }

  /**
   * Field-only quantiles {@code [horizon][point][level]} at arbitrary points (e.g. grid cells) for
   * local time {@code issueTime + (h − 1) step}, with the calibration factor of the horizon.
   */
  public double[][][] forecastPoints(
      double[] lon, double[] lat, LocalDateTime issueTime, int[] horizons, double[] levels) {
    double[] times = new double[horizons.length];
    double epochSteps =
        (double) Duration.between(LocalDateTime.of(1970, 1, 1, 0, 0), issueTime).getSeconds()
            / grid.step().getSeconds();
    for (int h = 0; h < horizons.length; h++) {
      times[h] = epochSteps + horizons[h] - 1;
    }
    FieldPrediction prediction = field.predictPoints(lon, lat, times);
    int members = prediction.mean().length;
    double[][][] out = new double[horizons.length][lon.length][];
    for (int h = 0; h < horizons.length; h++) {
      double c = factor(horizons[h]);
      for (int p = 0; p < lon.length; p++) {
        double[] mean = new double[members];
        double[] sd = new double[members];
        for (int m = 0; m < members; m++) {
          mean[m] = prediction.mean()[m][p * horizons.length + h];
          sd[m] = prediction.sd()[m][p * horizons.length + h] * c;
        }
        double[] q = MixtureQuantiles.quantiles(mean, sd, levels);
        for (int k = 0; k < q.length; k++) {
          q[k] = field.toObservation(q[k]);
        }
        out[h][p] = q;
      }
    }
    return out;
  }

  /**
   * Chooses c_h for each horizon on issue times (one per day at {@code from}'s hour) in [from, to)
   * of {@code observed}; the field must not have been fitted on that slice.
   */
  public void calibrate(SpaceTimeSeries observed, int from, int to, int[] horizons) {
    int stepsPerDay = (int) (Duration.ofDays(1).getSeconds() / grid.step().getSeconds());
    double[] grid = new double[71];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = 0.5 + 0.05 * i;
    }
    for (int h : horizons) {
      long[] inside90 = new long[grid.length];
      long[] inside95 = new long[grid.length];
      long n = 0;
      for (int issue = from; issue + h - 1 < to; issue += stepsPerDay) {
        int target = issue + h - 1;
        for (int s = 0; s < observed.stations().size(); s++) {
          double y = observed.values()[s][target];
          if (Double.isNaN(y)) {
            continue;
          }
          double z = field.toLatent(y);
          double[][] base = components(observed, s, issue, target, 1.0);
          n++;
          double[] scaled = new double[base[1].length];
          for (int g = 0; g < grid.length; g++) {
            for (int m = 0; m < scaled.length; m++) {
              scaled[m] = base[1][m] * grid[g];
            }
            double u = MixtureQuantiles.cdf(base[0], scaled, z);
            inside90[g] += u >= 0.05 && u <= 0.95 ? 1 : 0;
            inside95[g] += u >= 0.025 && u <= 0.975 ? 1 : 0;
          }
        }
      }
      if (n < 30) {
        continue;
      }
      int best = 0;
      double bestLoss = Double.POSITIVE_INFINITY;
      for (int g = 0; g < grid.length; g++) {
        double loss =
            Math.pow((double) inside90[g] / n - 0.90, 2)
                + Math.pow((double) inside95[g] / n - 0.95, 2);
        if (loss < bestLoss) {
          bestLoss = loss;
          best = g;
        }
      }
      calibration.put(h, grid[best]);
    }
  }
}
