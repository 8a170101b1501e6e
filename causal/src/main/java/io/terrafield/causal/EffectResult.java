package io.terrafield.causal;

import java.util.List;

/**
 * An effect estimate with its standard error, confidence interval and diagnostics. Field names map
 * to the {@code report.json} contract in snake case ({@code ci_low}, {@code n_treated}, ...).
 *
 * @param estimate point estimate of the estimand
 * @param se standard error (including calibration uncertainty when a correction is used)
 * @param ciLow lower confidence limit
 * @param ciHigh upper confidence limit
 * @param level confidence level
 * @param estimand "ate" or "att"
 * @param estimator "dim", "ols", "ipw", "aipw" or "dml"
 * @param correction "none", "lcc", "tweedie" or "ppi"
 * @param n number of units used
 * @param nTreated number of treated units used
 * @param diagnostics overlap, balance, effective sample size, sensitivity, calibration, SE parts
 */
public record EffectResult(
    double estimate,
    double se,
    double ciLow,
    double ciHigh,
    double level,
    String estimand,
    String estimator,
    String correction,
    int n,
    int nTreated,
    Diagnostics diagnostics) {

  /**
   * Everything an analyst should look at before trusting the estimate.
   *
   * @param overlap propensity-score overlap (null when there are no covariates)
   * @param balance standardised mean differences per covariate, before and after weighting
   * @param effectiveSampleSize Kish effective sample sizes of the weights per arm
   * @param sensitivity E-value and a plain-words reading
   * @param calibration the outcome correction's fit, or null without correction
   * @param correctionAdvice with a calibration set: every correction's estimate and CI side by
   *     side, the assumption checks and the recommended correction with its reason; else null
   * @param uncertainty how the SE was built
   * @param warnings things that may make the estimate unreliable
   * @param notes fallbacks and choices made on the caller's behalf
   */
  public record Diagnostics(
      Overlap overlap,
      List<Balance> balance,
      EffectiveSampleSize effectiveSampleSize,
      Sensitivity sensitivity,
      CalibrationSummary calibration,
      CorrectionAdvice correctionAdvice,
      Uncertainty uncertainty,
      List<String> warnings,
      List<String> notes) {}

  /**
   * Which outcome correction the calibration data support, and what each one gives.
   *
   * @param recommended "none", "lcc" or "lcc-group"
   * @param reason the recommendation in plain words
   * @param requested the correction the request asked for
   * @param corrections every correction's estimate and CI, side by side
   * @param checks the assumption checks behind the recommendation
   */
  public record CorrectionAdvice(
      String recommended,
      String reason,
      String requested,
      List<CorrectionEstimate> corrections,
      CorrectionChecks checks) {}

  /**
   * One correction's estimate. For the requested correction these are the result's own numbers; the
   * others use the same sampling-SE method (influence function, cluster or Conley) plus a bootstrap
   * of the calibration pairs, and are affine in the raw estimate (exact for the linear learners).
   *
   * @param correction "none", "lcc", "tweedie" or "lcc-group"
   * @param estimate point estimate
   * @param se standard error (sampling and calibration)
   * @param ciLow lower confidence limit
   * @param ciHigh upper confidence limit
   * @param shiftFromRaw estimate minus the raw (uncorrected) estimate
   */
  public record CorrectionEstimate(
      String correction,
      double estimate,
      double se,
      double ciLow,
      double ciHigh,
      double shiftFromRaw) {}

  /**
   * Assumption checks of the corrections on the calibration pairs.
   *
   * @param outsideRangeShare share of the units' predictions outside the calibration predictions'
   *     range
   * @param slopeHalfSplitMin smallest k over 20 random halves of the calibration pairs
   * @param slopeHalfSplitMax largest k over those halves
   * @param strata calibration strata (e.g. countries) with a slope of their own, or 0
   * @param slopeStrataMin smallest within-stratum k
   * @param slopeStrataMax largest within-stratum k
   * @param slopeI2 Higgins' I^2 of the within-stratum k (near 1: k differs between strata)
   * @param groupEffect gamma of prediction = m + k label + gamma g (NaN without the treatment rule
   *     on the calibration units): what the map sees of the group beyond the label
   * @param groupEffectSe SE of gamma
   * @param groupStrata strata with a group effect of their own
   * @param groupEffectMin smallest within-stratum gamma
   * @param groupEffectMax largest within-stratum gamma
   * @param groupI2 Higgins' I^2 of the within-stratum gamma
   * @param groupQPValue p-value of Cochran's Q for the within-stratum gamma
   * @param heldOutStrata calibration strata holding both groups, each held out once to replay the
   *     corrections (0 without strata or treatment rule)
   * @param heldOutMaeRaw mean absolute error of the raw contrast in the held-out strata, against
   *     their labels' contrast (label units)
   * @param heldOutMaeLcc the same for LCC with k from the other strata
   * @param heldOutMaeLccGroup the same for lcc-group with gamma and k from the other strata
   * @param findings the checks in plain words
   */
  public record CorrectionChecks(
      double outsideRangeShare,
      double slopeHalfSplitMin,
      double slopeHalfSplitMax,
      int strata,
      double slopeStrataMin,
      double slopeStrataMax,
      double slopeI2,
      double groupEffect,
      double groupEffectSe,
      int groupStrata,
      double groupEffectMin,
      double groupEffectMax,
      double groupI2,
      double groupQPValue,
      int heldOutStrata,
      double heldOutMaeRaw,
      double heldOutMaeLcc,
      double heldOutMaeLccGroup,
      List<String> findings) {}

  /**
   * Propensity-score overlap.
   *
   * @param treatedMin smallest propensity among treated units
   * @param treatedMax largest propensity among treated units
   * @param controlMin smallest propensity among control units
   * @param controlMax largest propensity among control units
   * @param trim clipping bound used by the estimator
   * @param clippedCount units whose propensity was clipped to [trim, 1 - trim]
   * @param outside05Count units with propensity outside [0.05, 0.95]
   * @param model how the propensities were fitted (learner, cross-fitting, calibration)
   */
  public record Overlap(
      double treatedMin,
      double treatedMax,
      double controlMin,
      double controlMax,
      double trim,
      int clippedCount,
      int outside05Count,
      String model) {}

  /**
   * Covariate balance.
   *
   * @param covariate covariate name
   * @param smdBefore standardised mean difference (treated - control) / pooled SD, unweighted
   * @param smdAfter the same with the estimand's inverse-propensity weights
   */
  public record Balance(String covariate, double smdBefore, double smdAfter) {}

  /**
   * Kish effective sample size (sum w)^2 / sum w^2 of the weights.
   *
   * @param treated effective treated count
   * @param control effective control count
   */
  public record EffectiveSampleSize(double treated, double control) {}

  /**
   * Sensitivity to unmeasured confounding (VanderWeele and Ding 2017), using the approximation RR =
   * exp(0.91 d) for a standardised mean difference d of a continuous outcome.
   *
   * @param standardizedEffect estimate divided by the outcome SD
   * @param eValue E-value of the point estimate
   * @param eValueCi E-value of the confidence limit closest to zero (1 when the CI covers 0)
   * @param summary plain-words reading
   */
  public record Sensitivity(
      double standardizedEffect, double eValue, double eValueCi, String summary) {}

  /**
   * The outcome correction fitted on the calibration set.
   *
   * @param source where the calibration pairs came from
   * @param n number of calibration pairs
   * @param slope k of prediction = m + k label (1 = no shrinkage)
   * @param slopeSe standard error of k
   * @param intercept m
   * @param residualVariance variance of label - prediction (Tweedie's sigma^2)
   * @param bandwidth KDE bandwidth (Tweedie only, NaN otherwise)
   * @param outsideRangeCount units whose prediction lies outside the calibration predictions' range
   * @param rawEstimate the estimate on the uncorrected predictions
   */
  public record CalibrationSummary(
      String source,
      int n,
      double slope,
      double slopeSe,
      double intercept,
      double residualVariance,
      double bandwidth,
      int outsideRangeCount,
      double rawEstimate) {}

  /**
   * Parts of the standard error.
   *
   * @param method "influence", "neyman" (difference in means, iid: s1^2/n1 + s0^2/n0 with the
   *     unbiased per-arm variances), "cluster", "conley", "multiplier-bootstrap" or
   *     "nonparametric-bootstrap"
   * @param seSampling SE from sampling the units (by the method)
   * @param seInfluence the plain influence-function SE sqrt(sum psi^2)/n (each arm's variance over
   *     n_a, not n_a - 1), for comparison
   * @param seCalibration SE from the calibration set (bootstrap over the pairs), 0 without
   * @param clusters number of clusters (cluster SEs), or 0
   * @param replications bootstrap replications used, or 0
   * @param reference distribution of the CI's critical value: "normal", "t(G-1)" with G clusters,
   *     or "welch-t(df)" (difference in means with the Neyman SE: Student t with the
   *     Welch-Satterthwaite df, two decimals, e.g. "welch-t(2.00)")
   * @param criticalValue the critical value the CI uses (estimate +- criticalValue * se)
   */
  public record Uncertainty(
      String method,
      double seSampling,
      double seInfluence,
      double seCalibration,
      int clusters,
      int replications,
      String reference,
      double criticalValue) {}
}
