package io.terrafield.api.forecasts;

import static io.terrafield.forecasting.eval.QuantileLevels.LEVELS;

/**
 * The quantile vector at {@code QuantileLevels.LEVELS} (i/200) that the metrics code scores, from
 * the seven stored quantiles (2.5, 5, 25, 50, 75, 95, 97.5 %): linear in the level between them and
 * linear beyond the outermost ones (the slope of the outer segment). At the stored levels the
 * vector equals the stored quantiles, so MAE, PICP90, PICP95 and MPIW95 are exact; CRPS is the
 * quadrature of this piecewise-linear quantile function (close to, not equal to, the served
 * 199-level CRPS).
 */
final class QuantileGrid {
  private static final double[] STORED = {0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975};

  private QuantileGrid() {}

  /** The 199 quantiles from the seven stored ones (ascending). */
  static double[] of(double[] stored) {
    double[] q = new double[LEVELS.length];
    for (int i = 0; i < q.length; i++) {
      double p = LEVELS[i];
      int k = 0;
      while (k < STORED.length - 2 && p > STORED[k + 1]) {
        k++;
      }
      if (p == STORED[k + 1]) {
        q[i] = stored[k + 1];
      } else if (p == STORED[k]) {
        q[i] = stored[k];
      } else {
        double frac = (p - STORED[k]) / (STORED[k + 1] - STORED[k]);
        q[i] = stored[k] + frac * (stored[k + 1] - stored[k]);
      }
    }
    return q;
  }

  /** A point forecast as a (degenerate) quantile vector. */
  static double[] constant(double value) {
    double[] q = new double[LEVELS.length];
    java.util.Arrays.fill(q, value);
    return q;
  }
}
