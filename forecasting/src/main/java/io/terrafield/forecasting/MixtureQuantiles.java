package io.terrafield.forecasting;

/**
 * Quantiles of an equal-weight mixture of Normals, {@code F(x) = (1/M) Σ_m Φ((x − μ_m)/σ_m)}, by
 * safeguarded Newton iteration on {@code F(x) − p} (bisection when a Newton step leaves the
 * bracket), started from the moment-matched Normal quantile. Stops when |F(x) − p| < 2e-8 (the erfc
 * approximation is accurate to ~1e-7, so tighter tolerances only make Newton bounce) or the bracket
 * or step is below 1e-9 relative. Stateless and thread-safe.
 */
final class MixtureQuantiles {
  private static final double TABLE_LIMIT = 9.0;
  private static final double TABLE_STEP = 1e-3;
  private static final double[] CDF_TABLE = table(true);
  private static final double[] PDF_TABLE = table(false);

  private MixtureQuantiles() {}

  private static double[] table(boolean cdf) {
    int n = (int) Math.round(2 * TABLE_LIMIT / TABLE_STEP) + 1;
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      double x = -TABLE_LIMIT + i * TABLE_STEP;
      values[i] = cdf ? normalCdf(x) : normalPdf(x);
    }
    return values;
  }

  /** Φ by linear interpolation in a 1e-3 table (error below 3e-8), exact erfc in the tails. */
  static double fastCdf(double x) {
    double position = (x + TABLE_LIMIT) / TABLE_STEP;
    if (!(position >= 0 && position < CDF_TABLE.length - 1)) {
      return normalCdf(x);
    }
    int i = (int) position;
    double w = position - i;
    return CDF_TABLE[i] + w * (CDF_TABLE[i + 1] - CDF_TABLE[i]);
  }

  static double fastPdf(double x) {
    double position = (x + TABLE_LIMIT) / TABLE_STEP;
    if (!(position >= 0 && position < PDF_TABLE.length - 1)) {
      return normalPdf(x);
    }
    int i = (int) position;
    double w = position - i;
    return PDF_TABLE[i] + w * (PDF_TABLE[i + 1] - PDF_TABLE[i]);
  }

  /** Standard Normal CDF via erfc (Numerical Recipes erfcc, |relative error| < 1.2e-7). */
  static double normalCdf(double x) {
    return 0.5 * erfc(-x / Math.sqrt(2));
  }

  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r =
        t
            * Math.exp(
                -z * z
                    - 1.26551223
                    + t
                        * (1.00002368
                            + t
                                * (0.37409196
                                    + t
                                        * (0.09678418
                                            + t
                                                * (-0.18628806
                                                    + t
                                                        * (0.27886807
                                                            + t
                                                                * (-1.13520398
                                                                    + t
                                                                        * (1.48851587
                                                                            + t
                                                                                * (-0.82215223
                                                                                    + t
                                                                                        * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }

  static double normalPdf(double x) {
    return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  }

  /** Standard Normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
  static double normalQuantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new ForecastingException("probability must be in (0, 1), got " + p);
    }
    double[] a = {
      -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
    };
    double[] b = {
      -5.447609879822406e+01,
      1.615858368580409e+02,
      -1.556989798598866e+02,
      6.680131188771972e+01,
      -1.328068155288572e+01
    };
    double[] c = {
      -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
    };
    double[] d = {
      7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
    };
    double low = 0.02425;
    if (p < low) {
      double q = Math.sqrt(-2 * Math.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - low) {
      return -normalQuantile(1 - p);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }

  /** Mixture CDF at x. */
  static double cdf(double[] mean, double[] sd, double x) {
    double sum = 0;
    for (int m = 0; m < mean.length; m++) {
      sum += fastCdf((x - mean[m]) / sd[m]);
    }
    return sum / mean.length;
  }

  /** Quantiles of the mixture at each level in (0, 1). */
  static double[] quantiles(double[] mean, double[] sd, double[] levels) {
    double mu = 0;
    double second = 0;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int m = 0; m < mean.length; m++) {
      mu += mean[m];
      second += sd[m] * sd[m] + mean[m] * mean[m];
      lo = Math.min(lo, mean[m] - 12 * sd[m]);
      hi = Math.max(hi, mean[m] + 12 * sd[m]);
    }
    mu /= mean.length;
    double sigma = Math.sqrt(Math.max(1e-18, second / mean.length - mu * mu));
    double[] out = new double[levels.length];
    double previous = lo;
    for (int i = 0; i < levels.length; i++) {
      double p = levels[i];
      double a = i > 0 && levels[i] >= levels[i - 1] ? previous : lo;
      double b = hi;
      double x = Math.min(b, Math.max(a, mu + sigma * normalQuantile(p)));
      for (int iter = 0; iter < 100; iter++) {
        double f = 0;
        double density = 0;
        for (int m = 0; m < mean.length; m++) {
          double u = (x - mean[m]) / sd[m];
          f += fastCdf(u);
          density += fastPdf(u) / sd[m];
        }
        f = f / mean.length - p;
        density /= mean.length;
        if (Math.abs(f) < 2e-8 || b - a < 1e-9 * (1 + Math.abs(x))) {
          break;
        }
        if (f > 0) {
          b = x;
        } else {
          a = x;
        }
        double next = density > 0 ? x - f / density : Double.NaN;
        if (!(next > a && next < b)) {
          next = 0.5 * (a + b);
        }
        if (Math.abs(next - x) < 1e-9 * (1 + Math.abs(x))) {
          x = next;
          break;
        }
        x = next;
      }
      out[i] = x;
      previous = x;
    }
    return out;
  }

  /**
   * The quantiles of {@link #quantiles} for ascending {@code levels}, faster (the grid cells of an
   * issue: 620 cells × 72 leads × 199 levels): each level's safeguarded Newton iteration starts
   * from the previous level's quantile moved by a Newton step (Δp / density there) instead of from
   * the moment-matched Normal, and a table lookup serves Φ and φ at once. Same bracket and stopping
   * rule, so both answers satisfy |F(x) − p| &lt; 2e-8 (ForecasterPointsTest compares them).
   *
   * @param levels probabilities in (0, 1), ascending
   */
  static double[] quantilesAscending(double[] mean, double[] sd, double[] levels) {
    int members = mean.length;
    double[] inverseSd = new double[members];
    double mu = 0;
    double second = 0;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int m = 0; m < members; m++) {
      inverseSd[m] = 1 / sd[m];
      mu += mean[m];
      second += sd[m] * sd[m] + mean[m] * mean[m];
      lo = Math.min(lo, mean[m] - 12 * sd[m]);
      hi = Math.max(hi, mean[m] + 12 * sd[m]);
    }
    mu /= members;
    double sigma = Math.sqrt(Math.max(1e-18, second / members - mu * mu));
    double[] out = new double[levels.length];
    double previous = lo;
    double previousDensity = 0;
    for (int i = 0; i < levels.length; i++) {
      double p = levels[i];
      boolean ascending = i > 0 && levels[i] >= levels[i - 1];
      double a = ascending ? previous : lo;
      double b = hi;
      double start =
          ascending && previousDensity > 0
              ? previous + (p - levels[i - 1]) / previousDensity
              : mu + sigma * normalQuantile(p);
      double x = Math.min(b, Math.max(a, start));
      double density = 0;
      for (int iter = 0; iter < 100; iter++) {
        double f = 0;
        density = 0;
        for (int m = 0; m < members; m++) {
          double u = (x - mean[m]) * inverseSd[m];
          double position = (u + TABLE_LIMIT) / TABLE_STEP;
          if (position >= 0 && position < CDF_TABLE.length - 1) {
            int k = (int) position;
            double w = position - k;
            f += CDF_TABLE[k] + w * (CDF_TABLE[k + 1] - CDF_TABLE[k]);
            density += (PDF_TABLE[k] + w * (PDF_TABLE[k + 1] - PDF_TABLE[k])) * inverseSd[m];
          } else {
            f += normalCdf(u);
            density += normalPdf(u) * inverseSd[m];
          }
        }
        f = f / members - p;
        density /= members;
        if (Math.abs(f) < 2e-8 || b - a < 1e-9 * (1 + Math.abs(x))) {
          break;
        }
        if (f > 0) {
          b = x;
        } else {
          a = x;
        }
        double next = density > 0 ? x - f / density : Double.NaN;
        if (!(next > a && next < b)) {
          next = 0.5 * (a + b);
        }
        if (Math.abs(next - x) < 1e-9 * (1 + Math.abs(x))) {
          x = next;
          break;
        }
        x = next;
      }
      out[i] = x;
      previous = x;
      previousDensity = density;
    }
    return out;
  }
}
