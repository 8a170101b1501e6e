package io.terrafield.forecasting.eval;

import static io.terrafield.forecasting.eval.QuantileLevels.LEVELS;

/**
 * Accumulates scores of quantile forecasts against observations.
 *
 * <p>CRPS is computed from the quantile grid with the quantile decomposition (Gneiting and Raftery
 * 2007; Laio and Tamea 2007): {@code CRPS(F, y) = 2 ∫_0^1 ρ_α(y − F⁻¹(α)) dα}, ρ_α the pinball
 * loss, approximated by the midpoint sum over the 199 levels i/200 (the tails beyond 0.005/0.995
 * are ignored, a small bias shared by every model). RMSE uses the predictive mean (average of the
 * quantiles), MAE the median. PICP90/95: share of observations inside the central 90 %/95 %
 * intervals; MPIW95: their mean width. Not thread-safe.
 */
public final class Metrics {
  static final int PIT_BINS = 20;
  private long n;
  private double crps;
  private double squaredError;
  private double absoluteError;
  private long inside90;
  private long inside95;
  private double width95;
  final long[] pitHistogram = new long[PIT_BINS];
  final long[] belowQuantile = new long[LEVELS.length];

  /** See the class comment. */
  public void add(double[] q, double y) {
    double sum = 0;
    double mean = 0;
    int below = 0;
    for (int k = 0; k < q.length; k++) {
      double u = y - q[k];
      sum += u >= 0 ? LEVELS[k] * u : (LEVELS[k] - 1) * u;
      mean += q[k];
      if (y <= q[k]) {
        belowQuantile[k]++;
      } else {
        below = k + 1;
      }
    }
    n++;
    crps += 2.0 * sum / 200.0;
    mean /= q.length;
    squaredError += (mean - y) * (mean - y);
    absoluteError += Math.abs(q[QuantileLevels.MEDIAN] - y);
    inside90 += y >= q[QuantileLevels.Q05] && y <= q[QuantileLevels.Q95] ? 1 : 0;
    inside95 += y >= q[QuantileLevels.Q025] && y <= q[QuantileLevels.Q975] ? 1 : 0;
    width95 += q[QuantileLevels.Q975] - q[QuantileLevels.Q025];
    pitHistogram[Math.min(PIT_BINS - 1, (int) (pit(q, y, below) * PIT_BINS))]++;
  }

  /** Probability integral transform from the quantile grid, linear between levels. */
  private static double pit(double[] q, double y, int below) {
    if (below == 0) {
      return LEVELS[0] / 2;
    }
    if (below == q.length) {
      return (1 + LEVELS[q.length - 1]) / 2;
    }
    double lo = q[below - 1];
    double hi = q[below];
    double frac = hi > lo ? (y - lo) / (hi - lo) : 0.5;
    return LEVELS[below - 1] + frac * (LEVELS[below] - LEVELS[below - 1]);
  }

  /** See the class comment. */
  public long count() {
    return n;
  }

  /** See the class comment. */
  public double crps() {
    return crps / n;
  }

  /** See the class comment. */
  public double rmse() {
    return Math.sqrt(squaredError / n);
  }

  /** See the class comment. */
  public double mae() {
    return absoluteError / n;
  }

  /** See the class comment. */
  public double picp90() {
    return (double) inside90 / n;
  }

  /** See the class comment. */
  public double picp95() {
    return (double) inside95 / n;
  }

  /** See the class comment. */
  public double mpiw95() {
    return width95 / n;
  }
}
