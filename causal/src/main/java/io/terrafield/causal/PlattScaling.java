package io.terrafield.causal;

/**
 * Platt scaling of held-out classifier scores (Platt 1999, "Probabilistic outputs for support
 * vector machines", eq. 1; applied to boosted trees by Niculescu-Mizil and Caruana 2005,
 * "Predicting good probabilities with supervised learning", section 2.1):
 *
 * <pre>
 *   P(a = 1 | s) = sigmoid(alpha + beta logit(s))
 * </pre>
 *
 * fitted by Newton-Raphson on the out-of-fold scores s (each from a model that did not see the
 * unit), so that an over-confident learner (beta &lt; 1) is shrunk back toward calibrated
 * probabilities. beta = 1, alpha = 0 leaves the scores unchanged. Immutable; thread-safe.
 *
 * @param alpha intercept
 * @param beta slope on the logit of the score
 */
record PlattScaling(double alpha, double beta) {
  private static final double EPS = 1e-6;

  /** Fits alpha and beta by maximum likelihood on held-out scores and their labels. */
  static PlattScaling fit(double[] scores, int[] a) {
    int n = a.length;
    double[] z = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      z[i] = logit(scores[i]);
      mean += a[i];
    }
    mean = Math.min(Math.max(mean / n, EPS), 1 - EPS);
    double alpha = 0;
    double beta = 1;
    for (int iter = 0; iter < 50; iter++) {
      double g0 = 0;
      double g1 = 0;
      double h00 = 1e-9;
      double h01 = 0;
      double h11 = 1e-9;
      for (int i = 0; i < n; i++) {
        double e = sigmoid(alpha + beta * z[i]);
        double r = a[i] - e;
        double v = Math.max(e * (1 - e), 1e-12);
        g0 += r;
        g1 += r * z[i];
        h00 += v;
        h01 += v * z[i];
        h11 += v * z[i] * z[i];
      }
      double det = h00 * h11 - h01 * h01;
      if (!(det > 0)) {
        break;
      }
      double d0 = (h11 * g0 - h01 * g1) / det;
      double d1 = (h00 * g1 - h01 * g0) / det;
      alpha += d0;
      beta += d1;
      if (Math.abs(d0) + Math.abs(d1) < 1e-10) {
        break;
      }
    }
    if (!Double.isFinite(alpha) || !Double.isFinite(beta)) {
      return new PlattScaling(0, 1);
    }
    return new PlattScaling(alpha, beta);
  }

  /** Calibrated probabilities for the scores. */
  double[] apply(double[] scores) {
    double[] out = new double[scores.length];
    for (int i = 0; i < scores.length; i++) {
      out[i] = sigmoid(alpha + beta * logit(scores[i]));
    }
    return out;
  }

  private static double logit(double p) {
    double q = Math.min(Math.max(p, EPS), 1 - EPS);
    return Math.log(q / (1 - q));
  }

  private static double sigmoid(double t) {
    return 1 / (1 + Math.exp(-t));
  }
}
