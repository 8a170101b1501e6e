package io.terrafield.causal;

/** Small dense symmetric solves for normal equations (p up to a few hundred). */
final class Matrices {
  private Matrices() {}

  /**
   * Solves a x = b for symmetric positive (semi)definite a by Cholesky; adds a growing diagonal
   * jitter when a is singular. a is not modified.
   */
  static double[] solveSymmetric(double[][] a, double[] b) {
    double[][] l = cholesky(a);
    int p = b.length;
    double[] z = new double[p];
    for (int i = 0; i < p; i++) {
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= l[i][k] * z[k];
      }
      z[i] = s / l[i][i];
    }
    double[] x = new double[p];
    for (int i = p - 1; i >= 0; i--) {
      double s = z[i];
      for (int k = i + 1; k < p; k++) {
        s -= l[k][i] * x[k];
      }
      x[i] = s / l[i][i];
    }
    return x;
  }

  private static double[][] cholesky(double[][] a) {
    int p = a.length;
    double maxDiag = 0;
    for (int i = 0; i < p; i++) {
      maxDiag = Math.max(maxDiag, Math.abs(a[i][i]));
    }
    double jitter = 0;
    for (int attempt = 0; attempt < 12; attempt++) {
      double[][] l = tryCholesky(a, jitter);
      if (l != null) {
        return l;
      }
      jitter = jitter == 0 ? 1e-10 * Math.max(maxDiag, 1e-300) : jitter * 100;
    }
    throw new IllegalStateException("matrix is not positive definite even with jitter");
  }

  private static double[][] tryCholesky(double[][] a, double jitter) {
    int p = a.length;
    double[][] l = new double[p][p];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i][j] + (i == j ? jitter : 0);
        for (int k = 0; k < j; k++) {
          s -= l[i][k] * l[j][k];
        }
        if (i == j) {
          if (!(s > 0)) {
            return null;
          }
          l[i][i] = Math.sqrt(s);
        } else {
          l[i][j] = s / l[j][j];
        }
      }
    }
    return l;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
