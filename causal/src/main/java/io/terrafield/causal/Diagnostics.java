package io.terrafield.causal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the diagnostics of an estimate: propensity overlap (range per arm, clipped count, units
 * outside [0.05, 0.95]), standardised mean differences before and after weighting with the
 * estimand's weights (ATE: A/e + (1-A)/(1-e); ATT: A + (1-A) e/(1-e)), Kish effective sample sizes
 * and the E-value.
 */
final class Diagnostics {
  private static final double SMD_WARNING = 0.1;

  private Diagnostics() {}

  static EffectResult.Diagnostics build(
      EffectRequest request,
      EffectEstimator.Prepared data,
      EffectEngine engine,
      double[] outcome,
      double estimate,
      double low,
      double high,
      EffectResult.CalibrationSummary calibration,
      EffectResult.CorrectionAdvice advice,
      EffectResult.Uncertainty uncertainty,
      List<String> warnings,
      List<String> notes) {
    int n = data.n;
    int[] a = data.a;
    double[] e = engine.propensity();
    double[] raw = engine.rawPropensity();
    boolean att = request.estimand() == EffectRequest.Estimand.ATT;
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = att ? (a[i] == 1 ? 1 : e[i] / (1 - e[i])) : (a[i] == 1 ? 1 / e[i] : 1 / (1 - e[i]));
    }
    EffectResult.Overlap overlap = null;
    List<EffectResult.Balance> balance = new ArrayList<>();
    if (engine.covariateCount() > 0) {
      double t0 = Double.POSITIVE_INFINITY;
      double t1 = Double.NEGATIVE_INFINITY;
      double c0 = Double.POSITIVE_INFINITY;
      double c1 = Double.NEGATIVE_INFINITY;
      int outside = 0;
      for (int i = 0; i < n; i++) {
        if (a[i] == 1) {
          t0 = Math.min(t0, raw[i]);
          t1 = Math.max(t1, raw[i]);
        } else {
          c0 = Math.min(c0, raw[i]);
          c1 = Math.max(c1, raw[i]);
        }
        if (raw[i] < 0.05 || raw[i] > 0.95) {
          outside++;
        }
      }
      overlap =
          new EffectResult.Overlap(
              t0,
              t1,
              c0,
              c1,
              request.options().trim(),
              engine.clippedCount(),
              outside,
              engine.propensityModel());
      if (engine.clippedCount() > 0) {
        warnings.add(
            String.format(
                Locale.ROOT,
                "%d units had propensity scores outside [%.3g, %.3g] and were clipped: overlap is"
                    + " limited there",
                engine.clippedCount(),
                request.options().trim(),
                1 - request.options().trim()));
      }
      for (int j = 0; j < engine.covariateCount(); j++) {
        double before = smd(data.x, j, a, null);
        double after = smd(data.x, j, a, w);
        String name = request.covariates().get(j);
        balance.add(new EffectResult.Balance(name, before, after));
        if (Math.abs(after) > SMD_WARNING) {
          warnings.add(
              String.format(
                  Locale.ROOT,
                  "covariate '%s' is imbalanced after weighting (SMD %.3f; > %.1f)",
                  name,
                  after,
                  SMD_WARNING));
        }
      }
    }
    EffectResult.EffectiveSampleSize ess = effectiveSampleSize(a, w);
    int treated = data.treatedCount;
    if (engine.covariateCount() > 0
        && (ess.treated() < 0.2 * treated || ess.control() < 0.2 * (n - treated))) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "weights are concentrated: effective sample sizes %.0f treated (of %d) and %.0f"
                  + " control (of %d)",
              ess.treated(),
              treated,
              ess.control(),
              n - treated));
    }
    double sd = StandardErrors.standardDeviation(outcome);
    EffectResult.Sensitivity sensitivity =
        Sensitivity.of(estimate, low, high, request.options().level(), sd, treated, n - treated);
    return new EffectResult.Diagnostics(
        overlap,
        List.copyOf(balance),
        ess,
        sensitivity,
        calibration,
        advice,
        uncertainty,
        List.copyOf(warnings),
        List.copyOf(notes));
  }

  static EffectResult.EffectiveSampleSize effectiveSampleSize(int[] a, double[] w) {
    double[] s = new double[2];
    double[] s2 = new double[2];
    for (int i = 0; i < a.length; i++) {
      s[a[i]] += w[i];
      s2[a[i]] += w[i] * w[i];
    }
    return new EffectResult.EffectiveSampleSize(s[1] * s[1] / s2[1], s[0] * s[0] / s2[0]);
  }

  /**
   * (weighted mean treated - weighted mean control) / sqrt((var_t + var_c) / 2), unweighted var.
   */
  static double smd(double[][] x, int j, int[] a, double[] w) {
    double[] sw = new double[2];
    double[] sx = new double[2];
    double[] n = new double[2];
    double[] m = new double[2];
    double[] ss = new double[2];
    for (int i = 0; i < a.length; i++) {
      double weight = w == null ? 1 : w[i];
      sw[a[i]] += weight;
      sx[a[i]] += weight * x[i][j];
      n[a[i]]++;
      m[a[i]] += x[i][j];
    }
    for (int arm = 0; arm < 2; arm++) {
      m[arm] /= n[arm];
    }
    for (int i = 0; i < a.length; i++) {
      double d = x[i][j] - m[a[i]];
      ss[a[i]] += d * d;
    }
    double pooled = Math.sqrt((ss[1] / Math.max(1, n[1] - 1) + ss[0] / Math.max(1, n[0] - 1)) / 2);
    double diff = sx[1] / sw[1] - sx[0] / sw[0];
    return pooled > 0 ? diff / pooled : 0;
  }
}
