package io.terrafield.causal;

import io.terrafield.causal.EffectRequest.DmlModel;
import io.terrafield.causal.EffectRequest.Estimand;
import io.terrafield.causal.EffectRequest.Estimator;
import io.terrafield.causal.EffectRequest.Options;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The estimators, as point estimates with influence functions psi_i (so that Var(theta) ~ sum
 * psi_i^2 / n^2). The propensity scores depend only on (X, A), so they are fitted once in {@link
 * #prepare}; {@link #estimate} then fits the outcome models for a given outcome vector, which lets
 * the caller re-estimate cheaply for corrected outcomes and calibration bootstraps.
 *
 * <pre>
 * DiM:   theta = mean(Y | A=1) - mean(Y | A=0)
 * OLS:   regression imputation, one OLS per arm (Lin 2013): theta = mean(mu1(X) - mu0(X)) (ATE),
 *        mean over treated of (Y - mu0(X)) (ATT); the influence function includes the
 *        coefficient-estimation terms (1/n_a) sum_i (z_i' h_a) e_i with h_a = (Z_a'Z_a/n_a)^-1 zbar.
 * IPW:   Hajek, theta = sum(A Y/e)/sum(A/e) - sum((1-A) Y/(1-e))/sum((1-A)/(1-e)) (ATE); control
 *        weights e/(1-e) for ATT. With the logistic learner the influence function includes the
 *        propensity-estimation term M' H^-1 z_i (A_i - e_i) (M-estimation stacking; Lunceford and
 *        Davidian 2004).
 *        With boosted propensities IPW is refused ({@link #IPW_BOOSTING_REFUSAL}).
 * AIPW:  psi = mu1 - mu0 + A(Y - mu1)/e - (1-A)(Y - mu0)/(1-e) (Robins, Rotnitzky, Zhao 1994);
 *        ATT: [A(Y - mu0) - (1-A) e/(1-e) (Y - mu0)] / P(A=1). Nuisances cross-fitted in K folds
 *        (Chernozhukov et al. 2018), propensities clipped to [trim, 1 - trim]; boosted propensities
 *        Platt-calibrated on the held-out folds' predictions; boosted outcome models pooled over
 *        the arms with the treatment as a feature.
 * DML:   partially linear model Y = theta A + g(X) + U, A = m(X) + V: theta = sum(V~ U~)/sum(V~^2)
 *        with cross-fitted residuals U~ = Y - l(X), V~ = A - m(X) (Robinson 1988; Chernozhukov et
 *        al. 2018); the interactive model uses the AIPW score.
 * </pre>
 *
 * Not thread-safe while preparing; {@link #estimate} may be called from several threads.
 */
final class EffectEngine {
  /** A point estimate and its influence function. */
  record Fit(double estimate, double[] influence) {}

  private final double[][] x;
  private final int[] a;
  private final int n;
  private final Estimand estimand;
  private final Estimator estimator;
  private final boolean plr;
  private final Options options;
  private final int[] fold;
  private final int folds;
  private final double[] rawPropensity;
  private final double[] propensity;
  private final int clippedCount;
  private final double[][] ipwInfluenceBeta;
  private final double[][] ipwDesign;
  private final List<String> notes = new ArrayList<>();
  private PlattScaling platt;
  private String propensityModel;
  private final List<String> warnings = new ArrayList<>();

  private EffectEngine(
      double[][] x, int[] a, Estimand estimand, Estimator estimator, Options options) {
    this.x = x;
    this.a = a;
    this.n = a.length;
    this.estimand = estimand;
    this.estimator = estimator;
    this.options = options;
    boolean wantsPlr = estimator == Estimator.DML && options.dmlModel() == DmlModel.PLR;
    if (wantsPlr && estimand == Estimand.ATT) {
      notes.add(
          "DML partially linear model assumes a constant effect; for the ATT the interactive"
              + " model (AIPW score) was used instead");
      wantsPlr = false;
    }
    this.plr = wantsPlr;
    boolean crossFit = crossFits(estimator, options, x);
    this.folds = crossFit ? options.folds() : 1;
    this.fold = crossFit ? stratifiedFolds(a, folds, options.seed()) : new int[n];
    int p = covariateCount();
    double[] e;
    LogisticRegression ipwModel = null;
    if (p == 0) {
      propensityModel = "treated share (no covariates)";
      e = new double[n];
      java.util.Arrays.fill(e, treatedShare());
    } else if (crossFit) {
      e = crossFitPropensity();
      if (options.learner() == EffectRequest.Learner.BOOSTING) {
        platt = PlattScaling.fit(e, a);
        e = platt.apply(e);
        propensityModel =
            String.format(
                java.util.Locale.ROOT,
                "boosted trees, cross-fitted in %d folds, Platt-calibrated on the held-out"
                    + " predictions (alpha %.3f, beta %.3f)",
                folds,
                platt.alpha(),
                platt.beta());
      } else {
        propensityModel = "L2-logistic regression, cross-fitted in " + folds + " folds";
      }
    } else {
      propensityModel = "L2-logistic regression, fitted on all units";
      ipwModel = LogisticRegression.fit(x, a, LogisticRegression.DEFAULT_PENALTY);
      e = ipwModel.predict(x);
    }
    this.rawPropensity = e;
    double[] clipped = new double[n];
    int clippedUnits = 0;
    for (int i = 0; i < n; i++) {
      clipped[i] = Math.min(Math.max(e[i], options.trim()), 1 - options.trim());
      if (clipped[i] != e[i]) {
        clippedUnits++;
      }
    }
    this.propensity = clipped;
    this.clippedCount = clippedUnits;
    if (estimator == Estimator.IPW && ipwModel != null) {
      this.ipwDesign = new double[n][];
      this.ipwInfluenceBeta = logisticInfluence(ipwModel, e);
    } else {
      this.ipwDesign = null;
      this.ipwInfluenceBeta = null;
    }
  }

  /**
   * Fits the propensity model (cross-fitted for AIPW and DML) and checks overlap.
   *
   * @param covariateNames names of the columns of x, for error messages
   * @throws CausalInputException on perfect separation for estimators that weight by propensity
   */
  static EffectEngine prepare(
      double[][] x,
      int[] a,
      Estimand estimand,
      Estimator estimator,
      Options options,
      List<String> covariateNames) {
    int treated = 0;
    for (int v : a) {
      treated += v;
    }
    int control = a.length - treated;
    boolean crossFit = crossFits(estimator, options, x);
    int minimum = crossFit ? Math.max(2, options.folds()) : 2;
    if (treated < minimum || control < minimum) {
      throw new CausalInputException(
          "too few units in an arm for estimator '"
              + estimator.name().toLowerCase(java.util.Locale.ROOT)
              + "'"
              + (crossFit ? " with " + options.folds() + "-fold cross-fitting" : "")
              + ": the "
              + (treated < minimum ? "treated" : "control")
              + " arm has "
              + (treated < minimum ? treated : control)
              + " unit"
              + ((treated < minimum ? treated : control) == 1 ? "" : "s")
              + " ("
              + treated
              + " treated and "
              + control
              + " control units), need at least "
              + minimum
              + " of each");
    }
    if (estimator == Estimator.IPW
        && options.learner() == EffectRequest.Learner.BOOSTING
        && x.length > 0
        && x[0].length > 0) {
      throw new CausalInputException(IPW_BOOSTING_REFUSAL);
    }
    EffectEngine engine = new EffectEngine(x, a, estimand, estimator, options);
    String which = engine.covariateCount() > 0 ? separatingCovariates(x, a, covariateNames) : "";
    if (engine.covariateCount() > 0 && (!which.isEmpty() || engine.separated())) {
      String message =
          "perfect separation: the covariates "
              + (which.isEmpty() ? "jointly" : "(" + which + ")")
              + " predict the treatment exactly (treated and control propensity scores do not"
              + " overlap), so no comparable control exists for a treated unit";
      if (estimator == Estimator.IPW || estimator == Estimator.AIPW || estimator == Estimator.DML) {
        throw new CausalInputException(message);
      }
      engine.warnings.add(message + "; the estimate extrapolates the outcome model");
    }
    return engine;
  }

  /** AIPW and DML cross-fit their nuisances. */
  private static boolean crossFits(Estimator estimator, Options options, double[][] x) {
    return estimator == Estimator.AIPW || estimator == Estimator.DML;
  }

  /** Why IPW with boosted propensities is refused (see {@link #prepare}). */
  static final String IPW_BOOSTING_REFUSAL =
      "estimator 'ipw' with learner 'boosting' is refused: inverse weighting is not"
          + " Neyman-orthogonal, so the error of a flexible propensity model enters the estimate at"
          + " first order. In the confounded simulation (1,000 units, 5 covariates) boosted IPW was"
          + " +31 % biased with 95 % coverage 0.16 in-sample and +33 % biased with coverage 0.05"
          + " when cross-fitted and Platt-calibrated. Use --estimator aipw or dml with boosting"
          + " (doubly robust: the propensity error is multiplied by the outcome-model error), or"
          + " ipw with the linear (logistic) learner";

  /** How the propensity scores were obtained, for the report. */
  String propensityModel() {
    return propensityModel;
  }

  /** The Platt calibration of boosted propensities, or null. */
  PlattScaling platt() {
    return platt;
  }

  int covariateCount() {
    return x.length == 0 ? 0 : x[0].length;
  }

  double[] rawPropensity() {
    return rawPropensity;
  }

  double[] propensity() {
    return propensity;
  }

  int clippedCount() {
    return clippedCount;
  }

  int[] treatment() {
    return a;
  }

  List<String> notes() {
    return notes;
  }

  List<String> warnings() {
    return warnings;
  }

  boolean usesPlr() {
    return plr;
  }

  /**
   * Whether {@link #estimate} is the plain difference in means with its influence function: DiM
   * always (covariates only enter its balance check), and OLS and IPW without covariates (one
   * intercept per arm, or constant propensities, give the same estimate and psi).
   */
  boolean isDifferenceInMeans() {
    return estimator == Estimator.DIM
        || (covariateCount() == 0 && (estimator == Estimator.OLS || estimator == Estimator.IPW));
  }

  /** Estimates the effect on outcome y (same units as the propensities). */
  Fit estimate(double[] y) {
    switch (estimator) {
      case DIM:
        return differenceInMeans(y);
      case OLS:
        return covariateCount() == 0 ? differenceInMeans(y) : regressionImputation(y);
      case IPW:
        return hajek(y);
      case AIPW:
        return aipw(y);
      case DML:
        return plr ? partiallyLinear(y) : aipw(y);
      default:
        throw new IllegalStateException("unknown estimator " + estimator);
    }
  }

  private Fit differenceInMeans(double[] y) {
    double s1 = 0;
    double s0 = 0;
    int n1 = 0;
    for (int i = 0; i < n; i++) {
      if (a[i] == 1) {
        s1 += y[i];
        n1++;
      } else {
        s0 += y[i];
      }
    }
    double m1 = s1 / n1;
    double m0 = s0 / (n - n1);
    double p = (double) n1 / n;
    double[] psi = new double[n];
    for (int i = 0; i < n; i++) {
      psi[i] = a[i] == 1 ? (y[i] - m1) / p : -(y[i] - m0) / (1 - p);
    }
    return new Fit(m1 - m0, psi);
  }

  private Fit regressionImputation(double[] y) {
    Standardizer s = Standardizer.fit(x);
    int w = s.width();
    double[][] z = new double[n][];
    for (int i = 0; i < n; i++) {
      z[i] = s.design(x[i]);
    }
    double[][][] gram = new double[2][w][w];
    double[][] rhs = new double[2][w];
    int[] count = new int[2];
    double[] zbarAll = new double[w];
    double[] zbarTreated = new double[w];
    for (int i = 0; i < n; i++) {
      int arm = a[i];
      count[arm]++;
      for (int p = 0; p < w; p++) {
        rhs[arm][p] += z[i][p] * y[i];
        zbarAll[p] += z[i][p] / n;
        for (int q = 0; q <= p; q++) {
          gram[arm][p][q] += z[i][p] * z[i][q];
        }
      }
      if (arm == 1) {
        for (int p = 0; p < w; p++) {
          zbarTreated[p] += z[i][p];
        }
      }
    }
    for (int p = 0; p < w; p++) {
      zbarTreated[p] /= count[1];
    }
    double[][] beta = new double[2][];
    double[][] h = new double[2][];
    double[] target = estimand == Estimand.ATE ? zbarAll : zbarTreated;
    for (int arm = 0; arm < 2; arm++) {
      double[][] g = gram[arm];
      for (int p = 0; p < w; p++) {
        for (int q = 0; q < p; q++) {
          g[q][p] = g[p][q];
        }
        g[p][p] += 1e-9 * count[arm];
      }
      beta[arm] = Matrices.solveSymmetric(g, rhs[arm]);
      double[] scaled = Matrices.solveSymmetric(g, target);
      for (int p = 0; p < w; p++) {
        scaled[p] *= count[arm];
      }
      h[arm] = scaled;
    }
    double p1 = (double) count[1] / n;
    double[] psi = new double[n];
    double theta;
    if (estimand == Estimand.ATE) {
      double sum = 0;
      double[] diff = new double[n];
      for (int i = 0; i < n; i++) {
        diff[i] = Matrices.dot(z[i], beta[1]) - Matrices.dot(z[i], beta[0]);
        sum += diff[i];
      }
      theta = sum / n;
      for (int i = 0; i < n; i++) {
        int arm = a[i];
        double resid = y[i] - Matrices.dot(z[i], beta[arm]);
        double share = arm == 1 ? p1 : 1 - p1;
        double sign = arm == 1 ? 1 : -1;
        psi[i] = diff[i] - theta + sign * Matrices.dot(z[i], h[arm]) * resid / share;
      }
    } else {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        if (a[i] == 1) {
          sum += y[i] - Matrices.dot(z[i], beta[0]);
        }
      }
      theta = sum / count[1];
      for (int i = 0; i < n; i++) {
        if (a[i] == 1) {
          psi[i] = (y[i] - Matrices.dot(z[i], beta[0]) - theta) / p1;
        } else {
          double resid = y[i] - Matrices.dot(z[i], beta[0]);
          psi[i] = -Matrices.dot(z[i], h[0]) * resid / (1 - p1);
        }
      }
    }
    return new Fit(theta, psi);
  }

  private Fit hajek(double[] y) {
    double[] e = propensity;
    double[] w1 = new double[n];
    double[] w0 = new double[n];
    for (int i = 0; i < n; i++) {
      if (estimand == Estimand.ATE) {
        w1[i] = a[i] / e[i];
        w0[i] = (1 - a[i]) / (1 - e[i]);
      } else {
        w1[i] = a[i];
        w0[i] = (1 - a[i]) * e[i] / (1 - e[i]);
      }
    }
    double sw1 = 0;
    double sw0 = 0;
    double sy1 = 0;
    double sy0 = 0;
    for (int i = 0; i < n; i++) {
      sw1 += w1[i];
      sw0 += w0[i];
      sy1 += w1[i] * y[i];
      sy0 += w0[i] * y[i];
    }
    double mu1 = sy1 / sw1;
    double mu0 = sy0 / sw0;
    double mw1 = sw1 / n;
    double mw0 = sw0 / n;
    double[] psi = new double[n];
    for (int i = 0; i < n; i++) {
      psi[i] = w1[i] * (y[i] - mu1) / mw1 - w0[i] * (y[i] - mu0) / mw0;
    }
    if (ipwInfluenceBeta != null) {
      int w = ipwInfluenceBeta[0].length;
      double[] m = new double[w];
      for (int i = 0; i < n; i++) {
        double d1 = estimand == Estimand.ATE ? -a[i] * (1 - e[i]) / e[i] : 0.0;
        double d0 = (1 - a[i]) * e[i] / (1 - e[i]);
        double coefficient = d1 * (y[i] - mu1) / mw1 - d0 * (y[i] - mu0) / mw0;
        double[] zi = ipwDesign[i];
        for (int p = 0; p < w; p++) {
          m[p] += coefficient * zi[p] / n;
        }
      }
      for (int i = 0; i < n; i++) {
        psi[i] += Matrices.dot(m, ipwInfluenceBeta[i]);
      }
    }
    return new Fit(mu1 - mu0, psi);
  }

  private Fit aipw(double[] y) {
    double[] mu1 = new double[n];
    double[] mu0 = new double[n];
    crossFitOutcome(y, mu1, mu0);
    double[] e = propensity;
    double[] psi = new double[n];
    if (estimand == Estimand.ATE) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        psi[i] =
            mu1[i]
                - mu0[i]
                + a[i] * (y[i] - mu1[i]) / e[i]
                - (1 - a[i]) * (y[i] - mu0[i]) / (1 - e[i]);
        sum += psi[i];
      }
      double theta = sum / n;
      for (int i = 0; i < n; i++) {
        psi[i] -= theta;
      }
      return new Fit(theta, psi);
    }
    double numerator = 0;
    int treated = 0;
    double[] score = new double[n];
    for (int i = 0; i < n; i++) {
      double r = y[i] - mu0[i];
      score[i] = a[i] * r - (1 - a[i]) * e[i] / (1 - e[i]) * r;
      numerator += score[i];
      treated += a[i];
    }
    double theta = numerator / treated;
    double p1 = (double) treated / n;
    for (int i = 0; i < n; i++) {
      psi[i] = (score[i] - a[i] * theta) / p1;
    }
    return new Fit(theta, psi);
  }

  private Fit partiallyLinear(double[] y) {
    double[] ell = new double[n];
    Nuisance.RegressionLearner learner = Nuisance.regression(options.learner(), covariateCount());
    for (int k = 0; k < folds; k++) {
      int[] train = indices(k, false, -1);
      int[] test = indices(k, true, -1);
      Nuisance.Predictor model = learner.fit(rows(train), values(y, train));
      double[] pred = model.predict(rows(test));
      for (int t = 0; t < test.length; t++) {
        ell[test[t]] = pred[t];
      }
    }
    double svv = 0;
    double svu = 0;
    double[] u = new double[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      u[i] = y[i] - ell[i];
      v[i] = a[i] - rawPropensity[i];
      svv += v[i] * v[i];
      svu += v[i] * u[i];
    }
    double theta = svu / svv;
    double meanVv = svv / n;
    double[] psi = new double[n];
    for (int i = 0; i < n; i++) {
      psi[i] = (u[i] - theta * v[i]) * v[i] / meanVv;
    }
    return new Fit(theta, psi);
  }

  private void crossFitOutcome(double[] y, double[] mu1, double[] mu0) {
    int p = covariateCount();
    Nuisance.RegressionLearner learner = Nuisance.regression(options.learner(), p);
    if (options.learner() == EffectRequest.Learner.BOOSTING && p > 0) {
      crossFitPooledOutcome(learner, y, mu1, mu0);
      return;
    }
    for (int k = 0; k < folds; k++) {
      int[] test = indices(k, true, -1);
      double[][] testRows = rows(test);
      for (int arm = 0; arm < 2; arm++) {
        if (arm == 1 && estimand == Estimand.ATT) {
          continue;
        }
        int[] train = indices(k, false, arm);
        Nuisance.Predictor model = learner.fit(rows(train), values(y, train));
        double[] pred = model.predict(testRows);
        double[] target = arm == 1 ? mu1 : mu0;
        for (int t = 0; t < test.length; t++) {
          target[test[t]] = pred[t];
        }
      }
    }
  }

  /**
   * Boosted outcome model: one model mu(a, x) per fold, fitted on all training units with the
   * treatment as a feature and evaluated at a = 1 and a = 0 (as TMLE's Q(A, W)). Per-arm boosted
   * fits have to extrapolate each arm into the region where it is rare (under limited overlap the
   * control model at high propensities), and their error there multiplies the propensity error in
   * the AIPW bias; the pooled model learns the shared covariate structure from both arms. Nonlinear
   * confounding simulation, 60 replications with the same seeds: AIPW bias +3.8 % (coverage 0.917)
   * per arm, +2.0 % (0.967) pooled.
   */
  private void crossFitPooledOutcome(
      Nuisance.RegressionLearner learner, double[] y, double[] mu1, double[] mu0) {
    for (int k = 0; k < folds; k++) {
      int[] train = indices(k, false, -1);
      int[] test = indices(k, true, -1);
      double[][] trainRows = new double[train.length][];
      for (int t = 0; t < train.length; t++) {
        trainRows[t] = withTreatment(x[train[t]], a[train[t]]);
      }
      Nuisance.Predictor model = learner.fit(trainRows, values(y, train));
      for (int arm = 0; arm < 2; arm++) {
        if (arm == 1 && estimand == Estimand.ATT) {
          continue;
        }
        double[][] testRows = new double[test.length][];
        for (int t = 0; t < test.length; t++) {
          testRows[t] = withTreatment(x[test[t]], arm);
        }
        double[] pred = model.predict(testRows);
        double[] target = arm == 1 ? mu1 : mu0;
        for (int t = 0; t < test.length; t++) {
          target[test[t]] = pred[t];
        }
      }
    }
  }

  private static double[] withTreatment(double[] row, int arm) {
    double[] out = java.util.Arrays.copyOf(row, row.length + 1);
    out[row.length] = arm;
    return out;
  }

  private double[] crossFitPropensity() {
    Nuisance.ClassificationLearner learner =
        Nuisance.classification(options.learner(), covariateCount());
    double[] e = new double[n];
    for (int k = 0; k < folds; k++) {
      int[] train = indices(k, false, -1);
      int[] test = indices(k, true, -1);
      int[] trainA = new int[train.length];
      for (int t = 0; t < train.length; t++) {
        trainA[t] = a[train[t]];
      }
      double[] pred = learner.fit(rows(train), trainA).predict(rows(test));
      for (int t = 0; t < test.length; t++) {
        e[test[t]] = pred[t];
      }
    }
    return e;
  }

  private double[][] logisticInfluence(LogisticRegression model, double[] e) {
    int w = covariateCount() + 1;
    double[][] hessian = new double[w][w];
    for (int i = 0; i < n; i++) {
      double[] zi = model.design(x[i]);
      ipwDesign[i] = zi;
      double v = e[i] * (1 - e[i]);
      for (int p = 0; p < w; p++) {
        for (int q = 0; q <= p; q++) {
          hessian[p][q] += v * zi[p] * zi[q] / n;
        }
      }
    }
    for (int p = 0; p < w; p++) {
      for (int q = 0; q < p; q++) {
        hessian[q][p] = hessian[p][q];
      }
      if (p > 0) {
        hessian[p][p] += model.penalty() / n;
      }
    }
    double[][] influence = new double[n][];
    double[] mean = new double[w];
    for (int i = 0; i < n; i++) {
      double[] g = new double[w];
      for (int p = 0; p < w; p++) {
        g[p] = ipwDesign[i][p] * (a[i] - e[i]);
      }
      influence[i] = Matrices.solveSymmetric(hessian, g);
      for (int p = 0; p < w; p++) {
        mean[p] += influence[i][p] / n;
      }
    }
    for (double[] row : influence) {
      for (int p = 0; p < w; p++) {
        row[p] -= mean[p];
      }
    }
    return influence;
  }

  private boolean separated() {
    double maxTreated = Double.NEGATIVE_INFINITY;
    double minTreated = Double.POSITIVE_INFINITY;
    double maxControl = Double.NEGATIVE_INFINITY;
    double minControl = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double e = rawPropensity[i];
      if (a[i] == 1) {
        maxTreated = Math.max(maxTreated, e);
        minTreated = Math.min(minTreated, e);
      } else {
        maxControl = Math.max(maxControl, e);
        minControl = Math.min(minControl, e);
      }
    }
    return maxControl < minTreated || maxTreated < minControl;
  }

  private static String separatingCovariates(double[][] x, int[] a, List<String> names) {
    List<String> found = new ArrayList<>();
    int p = x[0].length;
    for (int j = 0; j < p; j++) {
      double max1 = Double.NEGATIVE_INFINITY;
      double min1 = Double.POSITIVE_INFINITY;
      double max0 = Double.NEGATIVE_INFINITY;
      double min0 = Double.POSITIVE_INFINITY;
      for (int i = 0; i < a.length; i++) {
        double v = x[i][j];
        if (a[i] == 1) {
          max1 = Math.max(max1, v);
          min1 = Math.min(min1, v);
        } else {
          max0 = Math.max(max0, v);
          min0 = Math.min(min0, v);
        }
      }
      if (max0 < min1 || max1 < min0) {
        String name = j < names.size() ? names.get(j) : "x" + j;
        found.add(
            "'"
                + name
                + "' alone: treated in ["
                + fmt(min1)
                + ", "
                + fmt(max1)
                + "], control in ["
                + fmt(min0)
                + ", "
                + fmt(max0)
                + "]");
      }
    }
    return String.join("; ", found);
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.4g", v);
  }

  private double treatedShare() {
    double s = 0;
    for (int v : a) {
      s += v;
    }
    return s / n;
  }

  /** Units in fold k (test) or outside it (train), optionally only one arm. */
  private int[] indices(int k, boolean inFold, int arm) {
    int count = 0;
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      boolean in = folds == 1 || (fold[i] == k) == inFold;
      if (in && (arm < 0 || a[i] == arm)) {
        out[count++] = i;
      }
    }
    return java.util.Arrays.copyOf(out, count);
  }

  private double[][] rows(int[] idx) {
    double[][] out = new double[idx.length][];
    for (int t = 0; t < idx.length; t++) {
      out[t] = x[idx[t]];
    }
    return out;
  }

  private static double[] values(double[] y, int[] idx) {
    double[] out = new double[idx.length];
    for (int t = 0; t < idx.length; t++) {
      out[t] = y[idx[t]];
    }
    return out;
  }

  /** Random fold labels, balanced within each arm. */
  static int[] stratifiedFolds(int[] a, int k, long seed) {
    int n = a.length;
    int[] fold = new int[n];
    Random random = new Random(seed);
    for (int arm = 0; arm < 2; arm++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (a[i] == arm) {
          members.add(i);
        }
      }
      java.util.Collections.shuffle(members, random);
      for (int t = 0; t < members.size(); t++) {
        fold[members.get(t)] = t % k;
      }
    }
    return fold;
  }
}
