package io.terrafield.causal;

import java.util.Locale;

/**
 * E-value of VanderWeele and Ding (2017, Ann. Intern. Med.): the minimum strength of association,
 * on the risk-ratio scale, that an unmeasured confounder would need with both treatment and outcome
 * to explain away an effect. For a continuous outcome the standardised effect d = theta / SD(Y) is
 * mapped to RR = exp(0.91 |d|); then E = RR + sqrt(RR (RR - 1)).
 *
 * <p>The E-value measures robustness to unmeasured confounding only, not the sampling fragility of
 * a CI from few units. When the smaller arm has fewer than {@link StandardErrors#SMALL_ARM} units
 * the summary does not grade the E-value (weak / moderate / strong) and says so.
 */
final class Sensitivity {
  private Sensitivity() {}

  static double eValue(double standardized) {
    double rr = Math.exp(0.91 * Math.abs(standardized));
    return rr + Math.sqrt(rr * (rr - 1));
  }

  static EffectResult.Sensitivity of(
      double estimate,
      double ciLow,
      double ciHigh,
      double level,
      double outcomeSd,
      int treated,
      int control) {
    boolean fewUnits = Math.min(treated, control) < StandardErrors.SMALL_ARM;
    double d = outcomeSd > 0 ? estimate / outcomeSd : Double.NaN;
    double e = eValue(d);
    boolean coversZero = ciLow <= 0 && ciHigh >= 0;
    double nearest = Math.min(Math.abs(ciLow), Math.abs(ciHigh));
    double eCi = coversZero ? 1.0 : eValue(nearest / outcomeSd);
    int percent = (int) Math.round(level * 100);
    String summary;
    if (coversZero) {
      summary =
          String.format(
              Locale.ROOT,
              "The %d%% CI already includes zero, so no unmeasured confounding is needed to make"
                  + " the data compatible with no effect. Explaining away the point estimate"
                  + " (%.2f outcome SDs) would take an unmeasured confounder associated with both"
                  + " treatment and outcome by a risk ratio of %.2f each.",
              percent,
              d,
              e);
    } else {
      summary =
          String.format(
              Locale.ROOT,
              "To explain away the estimate (%.2f outcome SDs), an unmeasured confounder would"
                  + " have to be associated with both the treatment and the outcome by a risk"
                  + " ratio of at least %.2f each, beyond the measured covariates; to move the"
                  + " %d%% CI to include zero, %.2f would suffice. %s",
              d,
              e,
              percent,
              eCi,
              fewUnits
                  ? String.format(
                      Locale.ROOT,
                      "With only %d treated and %d control units this E-value is not graded: it"
                          + " describes unmeasured confounding, not how fragile a CI from so few"
                          + " units is (see the warnings).",
                      treated,
                      control)
                  : eCi < 1.5
                      ? "That is weak: modest hidden confounding could overturn the conclusion."
                      : eCi < 2.5
                          ? "That is moderate: a confounder as strong as a typical measured one could"
                              + " matter."
                          : "That is strong: only a confounder far stronger than usual would overturn"
                              + " it.");
    }
    return new EffectResult.Sensitivity(d, e, eCi, summary);
  }
}
