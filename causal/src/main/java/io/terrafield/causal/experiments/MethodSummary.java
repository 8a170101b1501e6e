package io.terrafield.causal.experiments;

import java.util.Locale;

/**
 * Monte-Carlo summary of one method over replications with a known truth.
 *
 * @param method method label
 * @param replications replications that produced an estimate
 * @param meanEstimate mean of the estimates
 * @param bias mean estimate minus truth
 * @param relativeBias bias divided by the truth
 * @param empiricalSd SD of the estimates across replications
 * @param meanSe mean reported SE
 * @param coverage share of CIs that contain the truth
 * @param refusal why the estimator refused the request, or null when it answered
 */
public record MethodSummary(
    String method,
    int replications,
    double meanEstimate,
    double bias,
    double relativeBias,
    double empiricalSd,
    double meanSe,
    double coverage,
    String refusal) {

  /** A summary of an estimator that answered. */
  public MethodSummary(
      String method,
      int replications,
      double meanEstimate,
      double bias,
      double relativeBias,
      double empiricalSd,
      double meanSe,
      double coverage) {
    this(
        method,
        replications,
        meanEstimate,
        bias,
        relativeBias,
        empiricalSd,
        meanSe,
        coverage,
        null);
  }

  /** An estimator that refused the request, with its reason. */
  static MethodSummary refused(String method, String reason) {
    return new MethodSummary(
        method, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, reason);
  }

  static MethodSummary of(
      String method,
      double truth,
      double[] estimates,
      double[] ses,
      double[] lows,
      double[] highs) {
    int r = estimates.length;
    double mean = 0;
    double se = 0;
    int covered = 0;
    for (int i = 0; i < r; i++) {
      mean += estimates[i];
      se += ses[i];
      if (lows[i] <= truth && truth <= highs[i]) {
        covered++;
      }
    }
    mean /= r;
    se /= r;
    double ss = 0;
    for (double v : estimates) {
      ss += (v - mean) * (v - mean);
    }
    return new MethodSummary(
        method,
        r,
        mean,
        mean - truth,
        (mean - truth) / truth,
        Math.sqrt(ss / Math.max(1, r - 1)),
        se,
        (double) covered / r);
  }

  /** Header line matching {@link #row()}. */
  public static String header() {
    return String.format(
        Locale.ROOT,
        "%-22s %6s %10s %10s %9s %10s %10s %9s",
        "method",
        "reps",
        "mean",
        "bias",
        "bias/tau",
        "emp.sd",
        "mean.se",
        "coverage");
  }

  /** One formatted table row. */
  public String row() {
    if (refusal != null) {
      return String.format(Locale.ROOT, "%-22s refused: %s", method, refusal);
    }
    return String.format(
        Locale.ROOT,
        "%-22s %6d %10.4f %10.4f %8.1f%% %10.4f %10.4f %9.3f",
        method,
        replications,
        meanEstimate,
        bias,
        100 * relativeBias,
        empiricalSd,
        meanSe,
        coverage);
  }
}
