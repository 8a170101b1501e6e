package io.terrafield.causal;

import java.util.Arrays;

/**
 * Gaussian kernel density estimate with Silverman's rule-of-thumb bandwidth h = 0.9 min(sd,
 * IQR/1.34) n^(-1/5) (Silverman 1986), evaluated by linear binning on a 2048-point grid (Wand and
 * Jones 1995, ch. 3), which gives the density p(y) and its score d/dy log p(y) in O(n + grid
 * window) time. Immutable; thread-safe.
 */
final class GaussianKde {
  private static final int GRID = 2048;
  private static final double CUTOFF = 6.0;

  private final double bandwidth;
  private final double origin;
  private final double step;
  private final double[] density;
  private final double[] derivative;

  private GaussianKde(double[] sample, double bandwidth) {
    this.bandwidth = bandwidth;
    double min = Arrays.stream(sample).min().orElseThrow();
    double max = Arrays.stream(sample).max().orElseThrow();
    this.origin = min - CUTOFF * bandwidth;
    this.step = (max - min + 2 * CUTOFF * bandwidth) / (GRID - 1);
    double[] counts = new double[GRID];
    for (double v : sample) {
      double pos = (v - origin) / step;
      int lo = Math.min((int) Math.floor(pos), GRID - 2);
      double frac = pos - lo;
      counts[lo] += 1 - frac;
      counts[lo + 1] += frac;
    }
    int window = (int) Math.ceil(CUTOFF * bandwidth / step);
    double[] kernel = new double[window + 1];
    for (int d = 0; d <= window; d++) {
      double u = d * step / bandwidth;
      kernel[d] = Math.exp(-0.5 * u * u) / Math.sqrt(2 * Math.PI);
    }
    double norm = sample.length * bandwidth;
    density = new double[GRID];
    derivative = new double[GRID];
    for (int g = 0; g < GRID; g++) {
      double f = 0;
      double df = 0;
      int from = Math.max(0, g - window);
      int to = Math.min(GRID - 1, g + window);
      for (int c = from; c <= to; c++) {
        if (counts[c] == 0) {
          continue;
        }
        int d = g - c;
        double k = kernel[Math.abs(d)] * counts[c];
        f += k;
        df += k * (-(d * step) / (bandwidth * bandwidth));
      }
      density[g] = f / norm;
      derivative[g] = df / norm;
    }
  }

  /** KDE of the sample with Silverman's bandwidth. */
  static GaussianKde silverman(double[] sample) {
    return new GaussianKde(sample, silvermanBandwidth(sample));
  }

  static double silvermanBandwidth(double[] sample) {
    int n = sample.length;
    double mean = Arrays.stream(sample).average().orElse(0);
    double ss = 0;
    for (double v : sample) {
      ss += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(ss / Math.max(1, n - 1));
    double[] sorted = sample.clone();
    Arrays.sort(sorted);
    double iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
    double spread = iqr > 0 ? Math.min(sd, iqr / 1.34) : sd;
    return 0.9 * spread * Math.pow(n, -0.2);
  }

  private static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  double bandwidth() {
    return bandwidth;
  }

  /** d/dy log p(y), linearly interpolated on the grid; 0 where the density vanishes. */
  double score(double y) {
    double pos = (y - origin) / step;
    if (pos <= 0 || pos >= GRID - 1) {
      return 0;
    }
    int lo = (int) Math.floor(pos);
    double frac = pos - lo;
    double f = density[lo] * (1 - frac) + density[lo + 1] * frac;
    double df = derivative[lo] * (1 - frac) + derivative[lo + 1] * frac;
    return f > 1e-300 ? df / f : 0;
  }

  double density(double y) {
    double pos = (y - origin) / step;
    if (pos <= 0 || pos >= GRID - 1) {
      return 0;
    }
    int lo = (int) Math.floor(pos);
    double frac = pos - lo;
    return density[lo] * (1 - frac) + density[lo + 1] * frac;
  }
}
