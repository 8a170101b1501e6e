package io.terrafield.causal;

import io.terrafield.causal.EffectRequest.Estimator;
import io.terrafield.causal.EffectRequest.Learner;
import io.terrafield.causal.EffectRequest.Options;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Refusals triggered by diagnostics computed from the data (issue 16), thrown as {@link
 * CausalInputException} like the refusal of IPW with boosting.
 *
 * <ul>
 *   <li><b>Covariate balance for DiM.</b> With covariates given, the unweighted standardised mean
 *       difference (treated − control) / pooled SD of every covariate (Austin 2009); if any |SMD|
 *       exceeds {@link #SMD_THRESHOLD} (0.1, Austin's rule of thumb for a negligible imbalance),
 *       the difference in means is refused as an effect estimate. Without covariates DiM is a
 *       descriptive contrast and is not checked.
 *   <li><b>Linear nuisance misfit.</b> For IPW, AIPW and DML with the linear learners, on the same
 *       stratified K folds the cross-fitting uses, the held-out fit of the linear learner is
 *       compared with a flexible reference: the same learner on a cubic basis of the covariates
 *       (x_j, x_j², x_j³ and the pairwise products x_j x_k, RESET-style). Outcome: ridge of Y on
 *       (A, X) against ridge of Y on (A, basis(X)), held-out R². Treatment: L2-logistic on X
 *       against L2-logistic on basis(X), held-out McFadden pseudo-R² (1 − log-loss / log-loss of
 *       the treated share). If the reference's held-out R² exceeds the linear one by more than
 *       {@link #R2_GAIN} (0.1) for the outcome or {@link #PSEUDO_R2_GAIN} (0.05) for the treatment,
 *       the linear estimate is refused, recommending {@code --learner boosting}.
 * </ul>
 */
final class ModelChecks {
  /** Austin (2009): |SMD| above 0.1 is a meaningful imbalance. */
  static final double SMD_THRESHOLD = 0.1;

  /** Held-out outcome R² gain of the cubic reference over the linear learner that refuses. */
  static final double R2_GAIN = 0.1;

  /** Held-out treatment pseudo-R² gain of the cubic reference that refuses. */
  static final double PSEUDO_R2_GAIN = 0.05;

  /** Above this many covariates the pairwise products are left out of the reference basis. */
  private static final int MAX_INTERACTION_COVARIATES = 12;

  private ModelChecks() {}

  /**
   * Throws the refusals that apply to the request; no-op without covariates.
   *
   * @param names covariate names
   */
  static void check(
      double[][] x, int[] a, double[] y, Estimator estimator, Options options, List<String> names) {
    if (x.length == 0 || x[0].length == 0) {
      return;
    }
    if (estimator == Estimator.DIM) {
      String imbalance = imbalance(x, a, names);
      if (imbalance != null) {
        throw new CausalInputException(
            "estimator 'dim' is refused as an effect estimate: covariates unbalanced ("
                + imbalance
                + "); the difference in means is only a descriptive contrast here. Use an adjusting"
                + " estimator (--estimator aipw or dml)");
      }
      return;
    }
    if (options.learner() == Learner.LINEAR
        && (estimator == Estimator.IPW
            || estimator == Estimator.AIPW
            || estimator == Estimator.DML)) {
      Misfit misfit;
      try {
        misfit = misfit(x, a, y, options.folds(), options.seed());
      } catch (RuntimeException e) {
        return; // e.g. a fold without both arms: the check is skipped, the estimators report
      }
      if (misfit.refuses()) {
        throw new CausalInputException(
            "estimator '"
                + estimator.name().toLowerCase(Locale.ROOT)
                + "' with learner 'linear' is refused: the linear nuisance models misfit the data."
                + " On the "
                + misfit.folds()
                + " cross-fitting folds held out, "
                + misfit.describe()
                + ". Use --learner boosting");
      }
    }
  }

  /** "x1 SMD 0.45 > 0.1, x2 SMD -0.30 > 0.1" for the unbalanced covariates, or null. */
  static String imbalance(double[][] x, int[] a, List<String> names) {
    List<String> parts = new ArrayList<>();
    for (int j = 0; j < x[0].length; j++) {
      double smd = Diagnostics.smd(x, j, a, null);
      if (Math.abs(smd) > SMD_THRESHOLD) {
        parts.add(
            String.format(
                Locale.ROOT, "%s SMD %.2f, |SMD| > %.1f", names.get(j), smd, SMD_THRESHOLD));
      }
    }
    return parts.isEmpty() ? null : String.join("; ", parts);
  }

  /** Held-out fits of the linear learners and the cubic reference. */
  record Misfit(
      int folds, double outcomeR2, double outcomeR2Reference, double treatR2, double treatR2Ref) {
    boolean refuses() {
      return outcomeR2Reference - outcomeR2 > R2_GAIN || treatR2Ref - treatR2 > PSEUDO_R2_GAIN;
    }

    String describe() {
      return String.format(
          Locale.ROOT,
          "the outcome's R² is %.3f linear against %.3f with a cubic basis (gain %.3f, threshold"
              + " %.2f) and the treatment's pseudo-R² %.3f linear against %.3f (gain %.3f,"
              + " threshold %.2f)",
          outcomeR2,
          outcomeR2Reference,
          outcomeR2Reference - outcomeR2,
          R2_GAIN,
          treatR2,
          treatR2Ref,
          treatR2Ref - treatR2,
          PSEUDO_R2_GAIN);
    }
  }

  static Misfit misfit(double[][] x, int[] a, double[] y, int folds, long seed) {
    int n = a.length;
    int k = Math.max(2, folds);
    int[] fold = EffectEngine.stratifiedFolds(a, k, seed);
    double[][] basis = new double[n][];
    double[][] linearWithA = new double[n][];
    double[][] basisWithA = new double[n][];
    for (int i = 0; i < n; i++) {
      basis[i] = cubic(x[i]);
      linearWithA[i] = append(x[i], a[i]);
      basisWithA[i] = append(basis[i], a[i]);
    }
    double[] yLinear = new double[n];
    double[] yRef = new double[n];
    double[] eLinear = new double[n];
    double[] eRef = new double[n];
    for (int f = 0; f < k; f++) {
      int[] train = indices(fold, f, false);
      int[] test = indices(fold, f, true);
      double[] trainY = new double[train.length];
      int[] trainA = new int[train.length];
      for (int t = 0; t < train.length; t++) {
        trainY[t] = y[train[t]];
        trainA[t] = a[train[t]];
      }
      double[] p1 =
          RidgeRegression.fit(rows(linearWithA, train), trainY, RidgeRegression.DEFAULT_PENALTY)
              .predict(rows(linearWithA, test));
      double[] p2 =
          RidgeRegression.fit(rows(basisWithA, train), trainY, RidgeRegression.DEFAULT_PENALTY)
              .predict(rows(basisWithA, test));
      double[] q1 =
          LogisticRegression.fit(rows(x, train), trainA, LogisticRegression.DEFAULT_PENALTY)
              .predict(rows(x, test));
      double[] q2 =
          LogisticRegression.fit(rows(basis, train), trainA, LogisticRegression.DEFAULT_PENALTY)
              .predict(rows(basis, test));
      for (int t = 0; t < test.length; t++) {
        yLinear[test[t]] = p1[t];
        yRef[test[t]] = p2[t];
        eLinear[test[t]] = q1[t];
        eRef[test[t]] = q2[t];
      }
    }
    return new Misfit(k, r2(y, yLinear), r2(y, yRef), pseudoR2(a, eLinear), pseudoR2(a, eRef));
  }

  static double[] cubic(double[] row) {
    int p = row.length;
    boolean interactions = p <= MAX_INTERACTION_COVARIATES;
    int width = 3 * p + (interactions ? p * (p - 1) / 2 : 0);
    double[] out = new double[width];
    int c = 0;
    for (int j = 0; j < p; j++) {
      out[c++] = row[j];
      out[c++] = row[j] * row[j];
      out[c++] = row[j] * row[j] * row[j];
    }
    if (interactions) {
      for (int j = 0; j < p; j++) {
        for (int l = j + 1; l < p; l++) {
          out[c++] = row[j] * row[l];
        }
      }
    }
    return out;
  }

  private static double[] append(double[] row, double v) {
    double[] out = java.util.Arrays.copyOf(row, row.length + 1);
    out[row.length] = v;
    return out;
  }

  private static int[] indices(int[] fold, int f, boolean in) {
    int count = 0;
    for (int v : fold) {
      if ((v == f) == in) {
        count++;
      }
    }
    int[] out = new int[count];
    int c = 0;
    for (int i = 0; i < fold.length; i++) {
      if ((fold[i] == f) == in) {
        out[c++] = i;
      }
    }
    return out;
  }

  private static double[][] rows(double[][] x, int[] idx) {
    double[][] out = new double[idx.length][];
    for (int t = 0; t < idx.length; t++) {
      out[t] = x[idx[t]];
    }
    return out;
  }

  private static double r2(double[] y, double[] pred) {
    double mean = 0;
    for (double v : y) {
      mean += v;
    }
    mean /= y.length;
    double ss = 0;
    double res = 0;
    for (int i = 0; i < y.length; i++) {
      ss += (y[i] - mean) * (y[i] - mean);
      res += (y[i] - pred[i]) * (y[i] - pred[i]);
    }
    return ss > 0 ? 1 - res / ss : 0;
  }

  private static double pseudoR2(int[] a, double[] e) {
    double share = 0;
    for (int v : a) {
      share += v;
    }
    share /= a.length;
    double ll = 0;
    double ll0 = 0;
    for (int i = 0; i < a.length; i++) {
      double p = Math.min(Math.max(e[i], 1e-6), 1 - 1e-6);
      ll += a[i] == 1 ? Math.log(p) : Math.log(1 - p);
      ll0 += a[i] == 1 ? Math.log(share) : Math.log(1 - share);
    }
    return ll0 != 0 ? 1 - ll / ll0 : 0;
  }
}
