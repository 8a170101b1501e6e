package io.terrafield.causal;

/** Pluggable nuisance learners: outcome regressions and propensity classifiers. */
final class Nuisance {
  private Nuisance() {}

  /** Fits a regression of y on rows of x. */
  interface RegressionLearner {
    Predictor fit(double[][] x, double[] y);
  }

  /** Fits P(a = 1 | x) for a 0/1 vector a. */
  interface ClassificationLearner {
    Predictor fit(double[][] x, int[] a);
  }

  /** A fitted model; predictions for a batch of rows. */
  interface Predictor {
    double[] predict(double[][] rows);
  }

  static RegressionLearner regression(EffectRequest.Learner kind, int covariateCount) {
    if (kind == EffectRequest.Learner.BOOSTING && covariateCount > 0) {
      return BoostedTrees.regression();
    }
    return (x, y) -> RidgeRegression.fit(x, y, RidgeRegression.DEFAULT_PENALTY);
  }

  static ClassificationLearner classification(EffectRequest.Learner kind, int covariateCount) {
    if (kind == EffectRequest.Learner.BOOSTING && covariateCount > 0) {
      return BoostedTrees.classification();
    }
    return (x, a) -> LogisticRegression.fit(x, a, LogisticRegression.DEFAULT_PENALTY);
  }
}
