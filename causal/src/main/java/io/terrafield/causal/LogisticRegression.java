package io.terrafield.causal;

/**
 * L2-regularised logistic regression fitted by Newton-Raphson (IRLS) on standardised covariates
 * with an unpenalised intercept; it maximises sum[a log e + (1-a) log(1-e)] - lambda/2 |beta|^2.
 * The penalty keeps the fit finite under perfect separation, which callers detect separately.
 * Immutable once fitted; thread-safe.
 */
final class LogisticRegression implements Nuisance.Predictor {
  static final double DEFAULT_PENALTY = 1.0;
  private static final int MAX_ITERATIONS = 50;

  private final Standardizer standardizer;
  private final double[] beta;
  private final double penalty;

  private LogisticRegression(Standardizer standardizer, double[] beta, double penalty) {
    this.standardizer = standardizer;
    this.beta = beta;
    this.penalty = penalty;
  }

  static LogisticRegression fit(double[][] x, int[] a, double penalty) {
    Standardizer s = Standardizer.fit(x);
    int w = s.width();
    int n = a.length;
    double[][] z = new double[n][];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      z[i] = s.design(x[i]);
      mean += a[i];
    }
    mean = Math.min(Math.max(mean / n, 1e-6), 1 - 1e-6);
    double[] beta = new double[w];
    beta[0] = Math.log(mean / (1 - mean));
    for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
      double[][] hessian = new double[w][w];
      double[] gradient = new double[w];
      for (int i = 0; i < n; i++) {
        double e = sigmoid(Matrices.dot(z[i], beta));
        double r = a[i] - e;
        double v = Math.max(e * (1 - e), 1e-12);
        double[] zi = z[i];
        for (int p = 0; p < w; p++) {
          gradient[p] += zi[p] * r;
          double[] row = hessian[p];
          double vz = v * zi[p];
          for (int q = 0; q <= p; q++) {
            row[q] += vz * zi[q];
          }
        }
      }
      for (int p = 0; p < w; p++) {
        for (int q = 0; q < p; q++) {
          hessian[q][p] = hessian[p][q];
        }
        if (p > 0) {
          hessian[p][p] += penalty;
          gradient[p] -= penalty * beta[p];
        }
      }
      double[] step = Matrices.solveSymmetric(hessian, gradient);
      double change = 0;
      for (int p = 0; p < w; p++) {
        beta[p] += step[p];
        change = Math.max(change, Math.abs(step[p]));
      }
      if (change < 1e-8) {
        break;
      }
    }
    return new LogisticRegression(s, beta, penalty);
  }

  static double sigmoid(double t) {
    return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
  }

  @Override
  public double[] predict(double[][] rows) {
    double[] out = new double[rows.length];
    double[] z = new double[standardizer.width()];
    for (int i = 0; i < rows.length; i++) {
      standardizer.design(rows[i], z);
      out[i] = sigmoid(Matrices.dot(z, beta));
    }
    return out;
  }

  /** The standardised design row [1, z] the coefficients act on. */
  double[] design(double[] row) {
    return standardizer.design(row);
  }

  double penalty() {
    return penalty;
  }
}
