package io.terrafield.forecasting.serving;

import static io.terrafield.forecasting.eval.QuantileLevels.LEVELS;

/** Summaries of a quantile vector at {@code QuantileLevels.LEVELS} (i/200, i = 1..199). */
final class QuantileFunctions {
  private QuantileFunctions() {}

  /** The predictive mean by the midpoint rule: the average of the 199 quantiles. */
  static double mean(double[] q) {
    double sum = 0;
    for (double v : q) {
      sum += v;
    }
    return sum / q.length;
  }

  /**
   * P(Y &gt; c) = 1 − F(c), F read off the quantile function by linear interpolation between
   * levels; beyond the outermost levels the tail mass (0.5 %) is split evenly, so the answer lies
   * in [0.0025, 0.9975] unless c is outside the support's bounds by construction.
   */
  static double exceedance(double[] q, double c) {
    if (c < q[0]) {
      return 1 - LEVELS[0] / 2;
    }
    if (c >= q[q.length - 1]) {
      return (1 - LEVELS[q.length - 1]) / 2;
    }
    int k = 0;
    while (k + 1 < q.length && q[k + 1] <= c) {
      k++;
    }
    double lo = q[k];
    double hi = q[k + 1];
    double frac = hi > lo ? (c - lo) / (hi - lo) : 1;
    return 1 - (LEVELS[k] + frac * (LEVELS[k + 1] - LEVELS[k]));
  }

  /** Sorts in place (guards against round-off inversions) and returns the array. */
  static double[] monotone(double[] q) {
    for (int k = 1; k < q.length; k++) {
      if (q[k] < q[k - 1]) {
        q[k] = q[k - 1];
      }
    }
    return q;
  }
}
