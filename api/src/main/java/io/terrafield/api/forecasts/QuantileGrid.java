package io.terrafield.api.forecasts;

import java.util.Arrays;

/**
 * The quantile levels at which a predictive distribution is evaluated: the mid-points u_i = (i +
 * ½)/n, i < n, plus the reported levels (sorted, distinct). From quantiles at these levels: the
 * mean by the mid-point rule E[Y] = ∫₀¹ Q(u) du ≈ (1/n) Σ_i Q(u_i), and the exceedance probability
 * P(Y > c) = 1 − F(c) by linear interpolation of the quantile function (resolution about 1/n; below
 * the lowest quantile 1 − u_min, above the highest 1 − u_max). Immutable, thread-safe.
 */
final class QuantileGrid {

  private final double[] levels;
  private final int[] reportedIndex;
  private final int[] midpointIndex;

  QuantileGrid(int n, double[] reported) {
    double[] all = new double[n + reported.length];
    for (int i = 0; i < n; i++) {
      all[i] = (i + 0.5) / n;
    }
    System.arraycopy(reported, 0, all, n, reported.length);
    levels = Arrays.stream(all).sorted().distinct().toArray();
    reportedIndex = Arrays.stream(reported).mapToInt(l -> Arrays.binarySearch(levels, l)).toArray();
    midpointIndex = new int[n];
    for (int i = 0; i < n; i++) {
      midpointIndex[i] = Arrays.binarySearch(levels, (i + 0.5) / n);
    }
  }

  /** The levels, ascending (a copy). */
  double[] levels() {
    return levels.clone();
  }

  /** Quantiles at the levels made non-decreasing (cumulative maximum). */
  static double[] monotone(double[] q) {
    double[] out = q.clone();
    for (int i = 1; i < out.length; i++) {
      out[i] = Math.max(out[i], out[i - 1]);
    }
    return out;
  }

  /** The quantiles at the reported levels, in their order. */
  double[] reported(double[] quantiles) {
    double[] out = new double[reportedIndex.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = quantiles[reportedIndex[k]];
    }
    return out;
  }

  /** E[Y] by the mid-point rule. */
  double mean(double[] quantiles) {
    double sum = 0;
    for (int i : midpointIndex) {
      sum += quantiles[i];
    }
    return sum / midpointIndex.length;
  }

  /** P(Y > c) by linear interpolation of the quantile function. */
  double exceedance(double[] quantiles, double c) {
    if (c < quantiles[0]) {
      return 1 - levels[0];
    }
    for (int i = 1; i < quantiles.length; i++) {
      if (c < quantiles[i]) {
        double width = quantiles[i] - quantiles[i - 1];
        double w = width > 0 ? (c - quantiles[i - 1]) / width : 1;
        return 1 - (levels[i - 1] + w * (levels[i] - levels[i - 1]));
      }
    }
    return 1 - levels[levels.length - 1];
  }
}
