package io.terrafield.forecasting.eval;

/** The quantile levels every model reports: i/200 for i = 1..199 (contains 0.025 ... 0.975). */
public final class QuantileLevels {
  /** The levels, ascending. Do not modify. */
  public static final double[] LEVELS = levels();

  /** Index of the median (0.5) in {@link #LEVELS}. */
  public static final int MEDIAN = 99;

  /** Index of 0.025. */
  public static final int Q025 = 4;

  /** Index of 0.05. */
  public static final int Q05 = 9;

  /** Index of 0.25. */
  public static final int Q25 = 49;

  /** Index of 0.75. */
  public static final int Q75 = 149;

  /** Index of 0.95. */
  public static final int Q95 = 189;

  /** Index of 0.975. */
  public static final int Q975 = 194;

  private QuantileLevels() {}

  private static double[] levels() {
    double[] levels = new double[199];
    for (int i = 0; i < levels.length; i++) {
      levels[i] = (i + 1) / 200.0;
    }
    return levels;
  }

  /** Type-7 empirical quantiles of sorted data at all levels. */
  static double[] empirical(double[] sorted) {
    double[] q = new double[LEVELS.length];
    for (int i = 0; i < q.length; i++) {
      q[i] = quantileSorted(sorted, LEVELS[i]);
    }
    return q;
  }

  static double quantileSorted(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
