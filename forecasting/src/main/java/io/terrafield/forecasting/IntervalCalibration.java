package io.terrafield.forecasting;

/**
 * The interval factor c of the rolling calibration (see {@link Forecaster}): the predictive
 * mixture's component sds are multiplied by c, chosen from the grid {@link #FACTORS} = 0.5, 0.55,
 * .., 4 to minimise (PICP90 − 0.90)² + (PICP95 − 0.95)² over a set of verified forecasts. Each
 * verification is reduced to the smallest grid index whose 90 % (95 %) interval holds the target,
 * so that the coverage of every factor is a count (exact, not re-computed per factor).
 *
 * <p>Not thread-safe.
 */
final class IntervalCalibration {
  /** The factor grid 0.5, 0.55, .., 4. */
  static final double[] FACTORS = factorGrid();

  /** Marks a verification whose target is not observed. */
  static final byte MISSING = -1;

  /** Fewer verifications than this: c = 1. */
  static final int MIN_VERIFICATIONS = 30;

  private IntervalCalibration() {}

  private static double[] factorGrid() {
    double[] grid = new double[71];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = 0.5 + 0.05 * i;
    }
    return grid;
  }

  /**
   * The smallest factor index g whose scaled mixture puts the target's PIT u(c_g) = (1/M) Σ_m Φ(d_m
   * / c_g) inside [lo, hi] (d_m: the target's standardised distance to component m), by bisection;
   * {@code FACTORS.length} when none does. Inclusion is taken as monotone in c: every term moves
   * monotonically towards ½ as c grows (exact for one component; for a mixture the rare
   * non-monotone case is counted from its first covering factor on).
   */
  static int smallestCovering(double[] d, double lo, double hi) {
    if (!covers(d, FACTORS[FACTORS.length - 1], lo, hi)) {
      return FACTORS.length;
    }
    int a = -1;
    int b = FACTORS.length - 1;
    while (b - a > 1) {
      int mid = (a + b) >>> 1;
      if (covers(d, FACTORS[mid], lo, hi)) {
        b = mid;
      } else {
        a = mid;
      }
    }
    return b;
  }

  private static boolean covers(double[] d, double factor, double lo, double hi) {
    double sum = 0;
    for (double x : d) {
      sum += MixtureQuantiles.fastCdf(x / factor);
    }
    double u = sum / d.length;
    return u >= lo && u <= hi;
  }

  /** The grid index nearest to {@code c}, clamped to the grid. */
  static int nearestIndex(double c) {
    int g = (int) Math.floor((c - FACTORS[0]) / 0.05 + 0.5 + 1e-9);
    return Math.max(0, Math.min(FACTORS.length - 1, g));
  }

  /** Histograms of the smallest covering indices of a set of verifications. */
  static final class Counts {
    private final long[] first90 = new long[FACTORS.length + 1];
    private final long[] first95 = new long[FACTORS.length + 1];
    private long n;

    /** Adds the stations' smallest covering indices ({@link #MISSING} entries are skipped). */
    void add(byte[] g90, byte[] g95) {
      add(g90, g95, 1);
    }

    /** Removes what {@link #add} added. */
    void remove(byte[] g90, byte[] g95) {
      add(g90, g95, -1);
    }

    private void add(byte[] g90, byte[] g95, int sign) {
      for (int s = 0; s < g90.length; s++) {
        if (g90[s] != MISSING) {
          first90[g90[s]] += sign;
          first95[g95[s]] += sign;
          n += sign;
        }
      }
    }

    long n() {
      return n;
    }

    /** The factor of least (PICP90 − 0.90)² + (PICP95 − 0.95)²; 1 with too few verifications. */
    double factor() {
      if (n < MIN_VERIFICATIONS) {
        return 1.0;
      }
      int best = 0;
      double bestLoss = Double.POSITIVE_INFINITY;
      long inside90 = 0;
      long inside95 = 0;
      for (int g = 0; g < FACTORS.length; g++) {
        inside90 += first90[g];
        inside95 += first95[g];
        double loss =
            Math.pow((double) inside90 / n - 0.90, 2) + Math.pow((double) inside95 / n - 0.95, 2);
        if (loss < bestLoss) {
          bestLoss = loss;
          best = g;
        }
      }
      return FACTORS[best];
    }
  }
}
