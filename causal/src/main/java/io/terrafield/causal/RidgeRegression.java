package io.terrafield.causal;

/**
 * Ridge regression on standardised covariates with an unpenalised intercept: beta = (Z'Z + lambda
 * D)^-1 Z'y with D = diag(0, 1, ..., 1) (Hoerl and Kennard 1970). With a tiny lambda it is OLS.
 * Immutable once fitted; thread-safe.
 */
final class RidgeRegression implements Nuisance.Predictor {
  static final double DEFAULT_PENALTY = 1.0;

  private final Standardizer standardizer;
  private final double[] beta;

  private RidgeRegression(Standardizer standardizer, double[] beta) {
    this.standardizer = standardizer;
    this.beta = beta;
  }

  static RidgeRegression fit(double[][] x, double[] y, double penalty) {
    Standardizer s = Standardizer.fit(x);
    int w = s.width();
    double[][] gram = new double[w][w];
    double[] rhs = new double[w];
    double[] z = new double[w];
    for (int i = 0; i < y.length; i++) {
      s.design(x[i], z);
      for (int a = 0; a < w; a++) {
        double za = z[a];
        rhs[a] += za * y[i];
        double[] row = gram[a];
        for (int b = 0; b <= a; b++) {
          row[b] += za * z[b];
        }
      }
    }
    for (int a = 0; a < w; a++) {
      for (int b = 0; b < a; b++) {
        gram[b][a] = gram[a][b];
      }
      if (a > 0) {
        gram[a][a] += penalty;
      }
    }
    return new RidgeRegression(s, Matrices.solveSymmetric(gram, rhs));
  }

  @Override
  public double[] predict(double[][] rows) {
    double[] out = new double[rows.length];
    double[] z = new double[standardizer.width()];
    for (int i = 0; i < rows.length; i++) {
      standardizer.design(rows[i], z);
      out[i] = Matrices.dot(z, beta);
    }
    return out;
  }
}
