package io.terrafield.causal;

/**
 * Centres and scales columns with training means and SDs and prepends an intercept column, so that
 * one ridge penalty suits every covariate. Constant columns keep scale 1.
 */
final class Standardizer {
  private final double[] mean;
  private final double[] scale;

  private Standardizer(double[] mean, double[] scale) {
    this.mean = mean;
    this.scale = scale;
  }

  static Standardizer fit(double[][] x) {
    int p = x.length == 0 ? 0 : x[0].length;
    double[] mean = new double[p];
    double[] scale = new double[p];
    for (double[] row : x) {
      for (int j = 0; j < p; j++) {
        mean[j] += row[j];
      }
    }
    for (int j = 0; j < p; j++) {
      mean[j] /= Math.max(1, x.length);
    }
    for (double[] row : x) {
      for (int j = 0; j < p; j++) {
        double d = row[j] - mean[j];
        scale[j] += d * d;
      }
    }
    for (int j = 0; j < p; j++) {
      double sd = Math.sqrt(scale[j] / Math.max(1, x.length - 1));
      scale[j] = sd > 1e-12 ? sd : 1.0;
    }
    return new Standardizer(mean, scale);
  }

  int width() {
    return mean.length + 1;
  }

  /** Writes [1, (x - mean) / scale] into out. */
  void design(double[] row, double[] out) {
    out[0] = 1.0;
    for (int j = 0; j < mean.length; j++) {
      out[j + 1] = (row[j] - mean[j]) / scale[j];
    }
  }

  double[] design(double[] row) {
    double[] out = new double[width()];
    design(row, out);
    return out;
  }
}
