package io.terrafield.forecasting;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Probabilistic forecasts from a fitted {@link NeuralField}, updated with the newest observations.
 *
 * <p><b>Streaming residual update</b> (the CGLUBNF short-horizon correction). With the field's
 * residual {@code r_t = z_t − μ(s, t)} in the latent scale and t the newest observed step of the
 * station before the issue time, the residual at lead k = target − t is predicted by a direct
 * autoregression (one per lead, pooled over stations, fitted by ridge-stabilised least squares on
 * the ensemble-mean residuals of a slice the field was not fitted on):
 *
 * <pre>
 *   x_t = (r_t, r_{t−1}, r_{t−2}, r̄_t)       r̄_t: mean residual of the other stations at t
 *   E[r_{t+k} | x_t] = β_k · x_t
 *   u = (r_{t+k} − β_k · x_t) / σ̄(s, t+k) ~ (1/K) Σ_j N(0, v_kj)     (K = 4, EM; σ̄: members' mean sd)
 * </pre>
 *
 * The innovations of PM are heavy-tailed (sudden episodes), so their distribution is an
 * equal-weight scale mixture of Normals fitted per lead rather than one Normal. A missing lag takes
 * the value of the previous feature (r_{t−1} ← r_t, r_{t−2} ← r_{t−1}, r̄_t ← r_t when no other
 * station is observed at t), the same rule in fitting and forecasting. Member m applies the update
 * to its own residuals: its components are {@code N(μ_m + β_k · x_t^(m), (c σ_m)² v_kj)}, j = 1..K,
 * so members that disagree about the past agree more about the next steps. The predictive
 * distribution is the equal-weight mixture of all components; quantiles come from root-finding on
 * its CDF, mapped back to the observation scale.
 *
 * <p><b>Rolling interval calibration</b> (optional, {@link #calibrate}): for an issue at index I
 * and horizon h, the factor c is chosen from the grid 0.5, 0.55, .., 4 to minimise (PICP90 − 0.90)²
 * + (PICP95 − 0.95)² over the forecasts of the same horizon issued once per day in the window [I −
 * W, I − h] — forecasts whose targets were observed before I — computed exactly from the mixture
 * CDF. The window moves with the issue time (seasonal changes of the residual scale are followed)
 * and never uses a value at or after I. Without calibration c = 1.
 *
 * <p><b>Shift selection</b> (with calibration): at (I, h) the residual shift β_k · x_t is dropped
 * when, over the window's verified forecasts issued after the residual window (out of sample for
 * β_k, at least a week of issues), the ensemble mean without it had the lower squared error; the
 * factor c is then chosen for the variant in use. It switches the shift off at long leads, where
 * lagged residuals carry no signal (Beijing h = 72 CRPS 41.65 → 40.93 in the session-3 runs).
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
  private final Map<Integer, double[]> pointScaleModels = new HashMap<>();
  private final Map<Integer, Double> latestFactors = new TreeMap<>();
  private final Map<Long, Verification> verified = new HashMap<>();
  private SpaceTimeSeries calibrationSeries;
  // Member predictions at the points of the last forecastPoints call, per absolute valid time.
  private final Map<Double, float[][][]> pointCache = new HashMap<>();
  private double[] cachedLon;
  private double[] cachedLat;
  private int calibrationWindow;
  private OnlineIntervalCalibration online;
  private double[][] trainResiduals;
  private static final int FEATURES = 4;
  private static final int MIN_SELECTION_ISSUES = 7;
  private static final int SCALES = 4;
  private static final int OUT_OF_SAMPLE_WINDOW_DAYS = 30;

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

  /** A residual source: r(station, t), NaN when the station is not observed at t. */
  private interface Residuals {
    double at(int station, int t);
  }

  /**
   * Autoregression features x_t of station s at its observed step t, with the missing-lag rule of
   * the class comment.
   */
  private static double[] features(Residuals r, int stations, int s, int t) {
    double[] x = new double[FEATURES];
    x[0] = r.at(s, t);
    double lag1 = t >= 1 ? r.at(s, t - 1) : Double.NaN;
    x[1] = Double.isNaN(lag1) ? x[0] : lag1;
    double lag2 = t >= 2 ? r.at(s, t - 2) : Double.NaN;
    x[2] = Double.isNaN(lag2) ? x[1] : lag2;
    double sum = 0;
    int count = 0;
    for (int j = 0; j < stations; j++) {
      double other = j == s ? Double.NaN : r.at(j, t);
      if (!Double.isNaN(other)) {
        sum += other;
        count++;
      }
    }
    x[3] = count > 0 ? sum / count : x[0];
    return x;
  }

  /** {β_k (FEATURES values), ρ_k} at lead k, pooled over stations on the residual window. */
  private double[] leadModel(int lead) {
    return leadModels.computeIfAbsent(
        lead,
        k -> {
          double[][] xtx = new double[FEATURES][FEATURES];
          double[] xty = new double[FEATURES];
          double yy = 0;
          long count = 0;
          for (int s = 0; s < trainResiduals.length; s++) {
            double[] row = trainResiduals[s];
            for (int t = residualFrom; t + k < residualTo; t++) {
              if (Double.isNaN(row[t]) || Double.isNaN(row[t + k])) {
                continue;
              }
              double[] x = features((j, u) -> trainResiduals[j][u], trainResiduals.length, s, t);
              double y = row[t + k];
              for (int a = 0; a < FEATURES; a++) {
                xty[a] += x[a] * y;
                for (int b = 0; b < FEATURES; b++) {
                  xtx[a][b] += x[a] * x[b];
                }
              }
              yy += y * y;
              count++;
            }
          }
          double[] model = new double[FEATURES + SCALES];
          Arrays.fill(model, FEATURES, FEATURES + SCALES, 1.0);
          if (count < 20 || yy <= 0) {
            return model;
          }
          double trace = 0;
          for (int a = 0; a < FEATURES; a++) {
            trace += xtx[a][a];
          }
          for (int a = 0; a < FEATURES; a++) {
            xtx[a][a] += 1e-3 * trace / FEATURES;
          }
          double[] beta = solve(xtx, xty);
          System.arraycopy(beta, 0, model, 0, FEATURES);
          // standardised innovations u = (r_{t+k} − β·x_t) / σ̄(s, t+k), σ̄ the members' mean sd
          double[] innovations = new double[(int) count];
          int n = 0;
          int length = grid.length();
          for (int s = 0; s < trainResiduals.length; s++) {
            double[] row = trainResiduals[s];
            for (int t = residualFrom; t + k < residualTo; t++) {
              if (Double.isNaN(row[t]) || Double.isNaN(row[t + k])) {
                continue;
              }
              double[] x = features((j, u) -> trainResiduals[j][u], trainResiduals.length, s, t);
              double e = row[t + k];
              for (int a = 0; a < FEATURES; a++) {
                e -= beta[a] * x[a];
              }
              double sd = 0;
              for (float[] member : cache.sd()) {
                sd += member[s * length + t + k];
              }
              innovations[n++] = e / (sd / cache.sd().length);
            }
          }
          System.arraycopy(scaleMixture(innovations), 0, model, FEATURES, SCALES);
          return model;
        });
  }

  /**
   * Variances v_1..v_K of an equal-weight, zero-mean scale mixture of Normals fitted to u by EM
   * (weights fixed at 1/K): E-step γ_ij ∝ N(u_i; 0, v_j), M-step v_j = Σ_i γ_ij u_i² / Σ_i γ_ij.
   * Heavy-tailed innovations get spread-out variances; Normal ones get nearly equal variances.
   */
  static double[] scaleMixture(double[] u) {
    double second = 0;
    for (double value : u) {
      second += value * value;
    }
    second /= u.length;
    double[] v = new double[SCALES];
    for (int j = 0; j < SCALES; j++) {
      v[j] = second * Math.pow(3.0, j - (SCALES - 1) / 2.0);
    }
    double[] gamma = new double[SCALES];
    for (int iteration = 0; iteration < 50; iteration++) {
      double[] weighted = new double[SCALES];
      double[] total = new double[SCALES];
      for (double value : u) {
        double sum = 0;
        for (int j = 0; j < SCALES; j++) {
          gamma[j] = Math.exp(-0.5 * value * value / v[j]) / Math.sqrt(v[j]);
          sum += gamma[j];
        }
        if (!(sum > 0)) {
          gamma[SCALES - 1] = 1;
          sum = 1;
        }
        for (int j = 0; j < SCALES; j++) {
          weighted[j] += gamma[j] / sum * value * value;
          total[j] += gamma[j] / sum;
        }
      }
      for (int j = 0; j < SCALES; j++) {
        v[j] = total[j] > 1e-9 ? Math.max(1e-6 * second, weighted[j] / total[j]) : v[j];
      }
    }
    Arrays.sort(v);
    return v;
  }

  /** Solves the small system a·x = b by Gaussian elimination with partial pivoting. */
  private static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][n + 1];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], 0, m[i], 0, n);
      m[i][n] = b[i];
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int i = col + 1; i < n; i++) {
        if (Math.abs(m[i][col]) > Math.abs(m[pivot][col])) {
          pivot = i;
        }
      }
      double[] swap = m[col];
      m[col] = m[pivot];
      m[pivot] = swap;
      for (int i = col + 1; i < n; i++) {
        double f = m[i][col] / m[col][col];
        for (int j = col; j <= n; j++) {
          m[i][j] -= f * m[col][j];
        }
      }
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double sum = m[i][n];
      for (int j = i + 1; j < n; j++) {
        sum -= m[i][j] * x[j];
      }
      x[i] = sum / m[i][i];
    }
    return x;
  }

  /** The interval factors used by the latest station forecast, per horizon. */
  public Map<Integer, Double> calibrationFactors() {
    return Map.copyOf(latestFactors);
  }

  /** Latent-scale mixture components {means, sds} for station s, target index, issue. */
  private double[][] components(
      SpaceTimeSeries observed, int s, int issue, int target, double c, boolean shifted) {
    int members = cache.mean().length;
    int row = s * grid.length() + target;
    int newest = -1;
    if (residualUpdate) {
      double[] values = observed.values()[s];
      for (int t = issue - 1; t >= Math.max(0, issue - lookback); t--) {
        if (!Double.isNaN(values[t])) {
          newest = t;
          break;
        }
      }
    }
    double[] model = newest >= 0 ? leadModel(target - newest) : null;
    int scales = model != null ? SCALES : 1;
    double[] mean = new double[members * scales];
    double[] sd = new double[members * scales];
    for (int m = 0; m < members; m++) {
      double shift = 0;
      if (model != null && shifted) {
        double[] x = memberFeatures(observed, m, s, newest);
        for (int a = 0; a < FEATURES; a++) {
          shift += model[a] * x[a];
        }
      }
      for (int j = 0; j < scales; j++) {
        double scale = model != null ? Math.sqrt(model[FEATURES + j]) : 1;
        mean[m * scales + j] = cache.mean()[m][row] + shift;
        sd[m * scales + j] = cache.sd()[m][row] * scale * c;
      }
    }
    return new double[][] {mean, sd};
  }

  /** Features x_t of station s at its observed step t from member m's residuals. */
  private double[] memberFeatures(SpaceTimeSeries observed, int m, int s, int t) {
    int length = grid.length();
    float[] means = cache.mean()[m];
    double[][] values = observed.values();
    return features(
        (j, u) -> {
          double y = values[j][u];
          return Double.isNaN(y) ? Double.NaN : field.toLatent(y) - means[j * length + u];
        },
        values.length,
        s,
        t);
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
      boolean shifted = shifted(issue, horizons[hi]);
      double c = factor(issue, horizons[hi], shifted);
      latestFactors.put(horizons[hi], c);
      for (int s = 0; s < stations; s++) {
        double[][] comp = components(observed, s, issue, issue + horizons[hi] - 1, c, shifted);
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
   * Length scale (km) of the weights w_s(p) ∝ exp(−d(p, s) / L) that carry the stations' residual
   * update to a point p (see {@link #forecastPointsUpdated}).
   */
  public static final double UPDATE_LENGTH_KM = 20;

  /** Normalised weights of the stations at (lon, lat); {@code excluded} (or −1) gets 0. */
  private double[] pointWeights(double lon, double lat, int excluded) {
    List<Station> stations = grid.stations();
    double[] w = new double[stations.size()];
    for (int s = 0; s < w.length; s++) {
      w[s] = s == excluded ? 0 : Math.exp(-stations.get(s).distanceKm(lon, lat) / UPDATE_LENGTH_KM);
    }
    return w;
  }

  /**
   * Weighted mean of the stations' feature vectors over the stations whose vector is known (x_0 not
   * NaN); null when none is.
   */
  private static double[] interpolate(double[] weights, double[][] features) {
    double[] x = new double[FEATURES];
    double total = 0;
    for (int s = 0; s < weights.length; s++) {
      if (weights[s] > 0 && features[s] != null && !Double.isNaN(features[s][0])) {
        for (int a = 0; a < FEATURES; a++) {
          x[a] += weights[s] * features[s][a];
        }
        total += weights[s];
      }
    }
    if (total <= 0) {
      return null;
    }
    for (int a = 0; a < FEATURES; a++) {
      x[a] /= total;
    }
    return x;
  }

  /**
   * Scale-mixture variances of the point update at lead k: the standardised innovations u = (r_s(t
   * + k) − β_k·x̃_s(t)) / σ̄(s, t + k) of every station s on the residual window, x̃_s the weighted
   * mean of the other stations' features (s left out), so the variances include the error of
   * carrying the update from the neighbours to a place without a station.
   */
  private double[] pointScales(int lead) {
    synchronized (pointScaleModels) {
      return pointScaleModels.computeIfAbsent(
          lead,
          k -> {
            double[] beta = leadModel(k);
            int stations = trainResiduals.length;
            int length = grid.length();
            double[][] weights = new double[stations][];
            for (int s = 0; s < stations; s++) {
              Station st = grid.stations().get(s);
              weights[s] = pointWeights(st.lon(), st.lat(), s);
            }
            List<Double> innovations = new ArrayList<>();
            for (int t = residualFrom; t + k < residualTo; t++) {
              double[][] features = new double[stations][];
              for (int j = 0; j < stations; j++) {
                if (!Double.isNaN(trainResiduals[j][t])) {
                  features[j] = features((a, u) -> trainResiduals[a][u], stations, j, t);
                }
              }
              for (int s = 0; s < stations; s++) {
                double y = trainResiduals[s][t + k];
                double[] x = Double.isNaN(y) ? null : interpolate(weights[s], features);
                if (x == null) {
                  continue;
                }
                double e = y;
                for (int a = 0; a < FEATURES; a++) {
                  e -= beta[a] * x[a];
                }
                double sd = 0;
                for (float[] member : cache.sd()) {
                  sd += member[s * length + t + k];
                }
                innovations.add(e / (sd / cache.sd().length));
              }
            }
            if (innovations.size() < 20) {
              double[] ones = new double[SCALES];
              Arrays.fill(ones, 1.0);
              return ones;
            }
            return scaleMixture(innovations.stream().mapToDouble(Double::doubleValue).toArray());
          });
    }
  }

  /**
   * Quantiles {@code [horizon][point][level]} at arbitrary points (grid cells, positions between
   * stations) for target index {@code issue + h − 1} with the stations' streaming residual update
   * carried to them: for member m the point's latent mean is the field's μ_m(p) plus β_h·x̃_p^(m),
   * x̃_p the stations' autoregression features at the last step before the issue weighted by w_s(p)
   * ∝ exp(−d(p, s) / {@value #UPDATE_LENGTH_KM} km) (stations not observed then left out), and its
   * components are N(μ_m(p) + β_h·x̃_p^(m), (c σ_m(p))² v̄_hj) with v̄_hj the scale mixture of the
   * left-one-station-out innovations ({@link #pointScales}), c the horizon's latest station factor.
   * The shift follows the stations' shift selection. This is the class comment's update with the
   * station's own residuals replaced by an inverse-distance interpolation of its neighbours'
   * (residual kriging with an exponential kernel and a pooled, empirical prediction variance).
   *
   * @param observed the observations known at the issue (values before {@code issue} are used)
   * @param excluded per point, a station whose observations are left out (−1: none), to score a
   *     point at that station's position as a place without a station; null: none anywhere
   */
  public double[][][] forecastPointsUpdated(
      SpaceTimeSeries observed,
      int issue,
      double[] lon,
      double[] lat,
      int[] horizons,
      double[] levels,
      int[] excluded) {
    checkIssue(issue, horizons);
    if (!residualUpdate) {
      return forecastPoints(lon, lat, grid.time(issue), horizons, levels);
    }
    float[][][][] prediction = pointPredictions(lon, lat, validSteps(grid.time(issue), horizons));
    int members = field.config().members();
    int stations = observed.stations().size();
    int newest = issue - 1;
    double[][][] memberFeatures = new double[members][stations][];
    for (int m = 0; m < members; m++) {
      for (int s = 0; s < stations; s++) {
        if (!Double.isNaN(observed.values()[s][newest])) {
          memberFeatures[m][s] = memberFeatures(observed, m, s, newest);
        }
      }
    }
    double[][] betas = new double[horizons.length][];
    double[][] scales = new double[horizons.length][];
    double[] factors = new double[horizons.length];
    boolean[] shifted = new boolean[horizons.length];
    for (int h = 0; h < horizons.length; h++) {
      betas[h] = leadModel(horizons[h]);
      scales[h] = pointScales(horizons[h]);
      factors[h] = latestFactors.getOrDefault(horizons[h], 1.0);
      shifted[h] = shifted(issue, horizons[h]);
    }
    double[][][] out = new double[horizons.length][lon.length][];
    IntStream.range(0, lon.length)
        .parallel()
        .forEach(
            p -> {
              double[] w = pointWeights(lon[p], lat[p], excluded == null ? -1 : excluded[p]);
              double[][] x = new double[members][];
              for (int m = 0; m < members; m++) {
                x[m] = interpolate(w, memberFeatures[m]);
              }
              double[] mean = new double[members * SCALES];
              double[] sd = new double[members * SCALES];
              for (int h = 0; h < horizons.length; h++) {
                for (int m = 0; m < members; m++) {
                  double shift = 0;
                  if (x[m] != null && shifted[h]) {
                    for (int a = 0; a < FEATURES; a++) {
                      shift += betas[h][a] * x[m][a];
                    }
                  }
                  for (int j = 0; j < SCALES; j++) {
                    double scale = x[m] != null ? Math.sqrt(scales[h][j]) : 1;
                    mean[m * SCALES + j] = prediction[h][0][m][p] + shift;
                    sd[m * SCALES + j] = prediction[h][1][m][p] * scale * factors[h];
                  }
                }
                double[] q = MixtureQuantiles.quantilesAscending(mean, sd, levels);
                for (int k = 0; k < q.length; k++) {
                  q[k] = field.toObservation(q[k]);
                }
                out[h][p] = q;
              }
            });
    return out;
  }

  /**
   * Field-only quantiles {@code [horizon][point][level]} at arbitrary points (e.g. grid cells) for
   * local time {@code issueTime + (h − 1) step}, with the interval factor of the horizon's latest
   * station forecast (1 before any).
   *
   * <p>The field's member predictions at a point and valid time do not depend on the issue time, so
   * for the same points as the previous call (the grid cells of consecutive issues) only the valid
   * times not asked before are evaluated, in one batched {@link NeuralField#predictPoints} call (an
   * hourly issue after the previous hour's: one new valid time instead of all horizons); the
   * mixture quantiles are computed per point in parallel, each vector in one ascending sweep
   * ({@code MixtureQuantiles.quantilesAscending}, same stopping rule as the stations' solver). The
   * result equals an evaluation per point and lead with the stations' solver to a relative 1e-5
   * (ForecasterPointsTest).
   *
   * @param lon longitudes of the points, degrees
   * @param lat latitudes, degrees (same length)
   * @param levels quantile levels in (0, 1), ascending (e.g. {@code QuantileLevels.LEVELS})
   */
  public double[][][] forecastPoints(
      double[] lon, double[] lat, LocalDateTime issueTime, int[] horizons, double[] levels) {
    float[][][][] prediction = pointPredictions(lon, lat, validSteps(issueTime, horizons));
    int members = field.config().members();
    double[][][] out = new double[horizons.length][lon.length][];
    double[] factors = new double[horizons.length];
    for (int h = 0; h < horizons.length; h++) {
      factors[h] = latestFactors.getOrDefault(horizons[h], 1.0);
    }
    IntStream.range(0, lon.length)
        .parallel()
        .forEach(
            p -> {
              double[] mean = new double[members];
              double[] sd = new double[members];
              for (int h = 0; h < horizons.length; h++) {
                float[][] meanAt = prediction[h][0];
                float[][] sdAt = prediction[h][1];
                for (int m = 0; m < members; m++) {
                  mean[m] = meanAt[m][p];
                  sd[m] = sdAt[m][p] * factors[h];
                }
                double[] q = MixtureQuantiles.quantilesAscending(mean, sd, levels);
                for (int k = 0; k < q.length; k++) {
                  q[k] = field.toObservation(q[k]);
                }
                out[h][p] = q;
              }
            });
    return out;
  }

  /**
   * The valid times (steps since 1970-01-01T00:00) of the horizons of an issue at {@code
   * issueTime}.
   */
  private double[] validSteps(LocalDateTime issueTime, int[] horizons) {
    double epochSteps =
        (double) Duration.between(LocalDateTime.of(1970, 1, 1, 0, 0), issueTime).getSeconds()
            / grid.step().getSeconds();
    double[] times = new double[horizons.length];
    for (int h = 0; h < horizons.length; h++) {
      times[h] = epochSteps + horizons[h] - 1;
    }
    return times;
  }

  /**
   * {@code [time][0 mean | 1 sd][member][point]} for {@code times}: cached ones reused, the others
   * evaluated in one call; afterwards only these times stay cached.
   */
  private float[][][][] pointPredictions(double[] lon, double[] lat, double[] times) {
    if (!Arrays.equals(lon, cachedLon) || !Arrays.equals(lat, cachedLat)) {
      pointCache.clear();
      cachedLon = lon.clone();
      cachedLat = lat.clone();
    }
    double[] missing =
        Arrays.stream(times).distinct().filter(t -> !pointCache.containsKey(t)).toArray();
    if (missing.length > 0) {
      FieldPrediction fresh = field.predictPoints(lon, lat, missing);
      int members = fresh.mean().length;
      for (int t = 0; t < missing.length; t++) {
        float[][][] at = new float[2][members][lon.length];
        for (int m = 0; m < members; m++) {
          for (int p = 0; p < lon.length; p++) {
            at[0][m][p] = fresh.mean()[m][p * missing.length + t];
            at[1][m][p] = fresh.sd()[m][p * missing.length + t];
          }
        }
        pointCache.put(missing[t], at);
      }
    }
    float[][][][] out = new float[times.length][][][];
    for (int h = 0; h < times.length; h++) {
      out[h] = pointCache.get(times[h]);
    }
    Set<Double> keep = new HashSet<>();
    for (double t : times) {
      keep.add(t);
    }
    pointCache.keySet().retainAll(keep);
    return out;
  }

  /**
   * Enables the rolling interval calibration: the factor of a forecast issued at index I for
   * horizon h is chosen on the forecasts issued once per day in [max(I − windowSteps,
   * residualFrom), I − h] whose targets are observed in {@code observed} (see the class comment).
   * The field must not have been fitted on data from {@code residualFrom} on.
   */
  public void calibrate(SpaceTimeSeries observed, int windowSteps) {
    if (windowSteps < 1) {
      throw new ForecastingException("calibration window: must be >= 1 step, got " + windowSteps);
    }
    this.calibrationSeries = observed;
    this.calibrationWindow = windowSteps;
    this.verified.clear();
    int stepsPerDay = (int) (Duration.ofDays(1).getSeconds() / grid.step().getSeconds());
    this.online =
        new OnlineIntervalCalibration(
            new OnlineIntervalCalibration.Source() {
              @Override
              public boolean shifted(int issue, int lead) {
                return Forecaster.this.shifted(issue, lead);
              }

              @Override
              public byte[] g90(int issue, int lead, int variant) {
                return verified(issue, lead).g90()[variant];
              }

              @Override
              public byte[] g95(int issue, int lead, int variant) {
                return verified(issue, lead).g95()[variant];
              }

              @Override
              public double inSampleFactor(int issue, int lead, int variant) {
                return windowFactor(issue, lead, variant, residualTo);
              }
            },
            residualTo,
            OUT_OF_SAMPLE_WINDOW_DAYS * stepsPerDay);
  }

  /** The daily issues of the calibration window of (issue, horizon), newest first. */
  private int[] windowIssues(int issue, int horizon) {
    int stepsPerDay = (int) (Duration.ofDays(1).getSeconds() / grid.step().getSeconds());
    int[] out = new int[calibrationWindow / stepsPerDay + 1];
    int n = 0;
    for (int past = issue - stepsPerDay;
        past >= Math.max(Math.max(1, residualFrom), issue - calibrationWindow) && n < out.length;
        past -= stepsPerDay) {
      if (past + horizon - 1 < issue) {
        out[n++] = past;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * Whether the residual shift β_k·x_t is applied at (issue, horizon): yes unless, over the
   * verified forecasts of the calibration window issued at or after the end of the residual window
   * (out of sample for β_k; at least {@value #MIN_SELECTION_ISSUES} issues), the field's ensemble
   * mean alone had the lower squared error. At long leads the lagged residuals carry little signal
   * and a β_k estimated on 60 days only moves the members apart.
   */
  boolean shifted(int issue, int horizon) {
    if (calibrationSeries == null || !residualUpdate) {
      return true;
    }
    double withShift = 0;
    double without = 0;
    int issues = 0;
    for (int past : windowIssues(issue, horizon)) {
      if (past < residualTo) {
        continue;
      }
      double[] errors = verified(past, horizon).squaredErrors;
      withShift += errors[1];
      without += errors[0];
      issues++;
    }
    return issues < MIN_SELECTION_ISSUES || withShift <= without;
  }

  /**
   * c for an issue at index I and horizon h: from the residual window's end on (every served or
   * evaluated issue), the online calibration of {@link OnlineIntervalCalibration}; before it, the
   * window factor of the daily re-forecasts (1 without calibration or with < 30 verifications).
   */
  private double factor(int issue, int horizon, boolean shifted) {
    if (calibrationSeries == null) {
      return 1.0;
    }
    if (issue >= residualTo) {
      return online.factor(issue, horizon);
    }
    return windowFactor(issue, horizon, shifted ? 1 : 0, Integer.MAX_VALUE);
  }

  /** The factor of the daily window issues of (issue, horizon) before {@code before}. */
  private double windowFactor(int issue, int horizon, int variant, int before) {
    IntervalCalibration.Counts counts = new IntervalCalibration.Counts();
    for (int past : windowIssues(issue, horizon)) {
      if (past < before) {
        Verification v = verified(past, horizon);
        counts.add(v.g90()[variant], v.g95()[variant]);
      }
    }
    return counts.factor();
  }

  /**
   * The verification of the forecasts issued at {@code past} for horizon h, without [0] and with
   * [1] the residual shift: per station, the smallest factor index whose 90 % interval ({@code
   * g90}) and 95 % interval ({@code g95}) holds the observed target ({@link
   * IntervalCalibration#MISSING} when the target is not observed, {@code FACTORS.length} when no
   * factor covers it), and the squared errors of the ensemble-mean latent forecast. Memoised.
   */
  record Verification(byte[][] g90, byte[][] g95, double[] squaredErrors) {}

  /**
   * Computes and keeps the calibration's verifications (and the residual models) for the issues
   * {@code first .. first + count − 1} at the given horizons, so that issuing from them later costs
   * only the new verifications. The served pipeline warms the 24 hours of its first day this way
   * while it prepares.
   */
  public void warmCalibration(int first, int count, int[] horizons) {
    if (calibrationSeries == null) {
      return;
    }
    for (int issue = first; issue < first + count; issue++) {
      for (int h : horizons) {
        if (residualUpdate) {
          leadModel(h);
        }
        factor(issue, h, shifted(issue, h));
      }
    }
  }

  private Verification verified(int past, int horizon) {
    return verified.computeIfAbsent(
        ((long) past << 20) | horizon,
        key -> {
          int stations = calibrationSeries.stations().size();
          byte[][] g90 = new byte[2][stations];
          byte[][] g95 = new byte[2][stations];
          double[] squaredErrors = new double[2];
          int target = past + horizon - 1;
          for (int s = 0; s < stations; s++) {
            double y = calibrationSeries.values()[s][target];
            if (Double.isNaN(y)) {
              for (int variant = 0; variant < 2; variant++) {
                g90[variant][s] = IntervalCalibration.MISSING;
                g95[variant][s] = IntervalCalibration.MISSING;
              }
              continue;
            }
            double z = field.toLatent(y);
            for (int variant = 0; variant < 2; variant++) {
              double[][] base = components(calibrationSeries, s, past, target, 1.0, variant == 1);
              double mean = 0;
              for (double mu : base[0]) {
                mean += mu;
              }
              mean /= base[0].length;
              squaredErrors[variant] += (z - mean) * (z - mean);
              double[] d = new double[base[0].length];
              for (int m = 0; m < d.length; m++) {
                d[m] = (z - base[0][m]) / base[1][m];
              }
              g90[variant][s] = (byte) IntervalCalibration.smallestCovering(d, 0.05, 0.95);
              g95[variant][s] = (byte) IntervalCalibration.smallestCovering(d, 0.025, 0.975);
            }
          }
          return new Verification(g90, g95, squaredErrors);
        });
  }

  /**
   * The calibration's verification of the forecast issued at {@code past} for {@code horizon} (the
   * arrays are shared: read only); for offline studies of calibration rules (CalibrationDump).
   */
  Verification verification(int past, int horizon) {
    return verified(past, horizon);
  }
}
