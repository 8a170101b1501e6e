package io.terrafield.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One probabilistic forecast of a variable at a target (a station or a grid cell) for one valid
 * time, as the forecast job issues it: the served predictive distribution (seven quantiles and the
 * mean, in the variable's unit), P(value &gt; threshold), the air-quality category of the median,
 * and the model that made it. Keyed on (target id, variable, model, issue time, valid time).
 *
 * @param targetId station id, or a cell id of {@link ForecastGrid} (e.g. {@code
 *     cell_0.05_5928_2598})
 * @param targetKind whether the target is a station or a grid cell
 * @param lon longitude of the target (a cell's centre) in degrees (WGS84), [-180, 180]
 * @param lat latitude of the target (a cell's centre) in degrees (WGS84), [-90, 90]
 * @param variable the forecast variable
 * @param model the model name (e.g. {@code cglubnf}, {@code persistence})
 * @param modelVersion the model artifact version (e.g. {@code cglubnf-20130301T0000Z})
 * @param issueTime the issue time (UTC): the valid time of lead 1
 * @param validTime the time the forecast is for (UTC), {@code issueTime + (horizonH − 1) h}
 * @param horizonH lead time in hours, {@code >= 0}
 * @param quantiles the predictive quantiles, finite and non-decreasing
 * @param mean predictive mean, finite
 * @param threshold the exceedance threshold in the variable's unit, finite
 * @param exceedanceProbability P(value &gt; threshold), in [0, 1]
 * @param categoryScheme the category scheme id (e.g. {@code us-epa-aqi}), or null when the scheme
 *     has no table for the variable
 * @param category the scheme's category label of the median (e.g. {@code Moderate}), null exactly
 *     when {@code categoryScheme} is
 * @param intervalFactor the interval calibration factor applied to this lead (1 = uncalibrated),
 *     finite and {@code > 0}
 */
public record ForecastRecord(
    String targetId,
    TargetKind targetKind,
    double lon,
    double lat,
    Variable variable,
    String model,
    String modelVersion,
    Instant issueTime,
    Instant validTime,
    int horizonH,
    Quantiles quantiles,
    double mean,
    double threshold,
    double exceedanceProbability,
    String categoryScheme,
    String category,
    double intervalFactor) {

  /** Validates; every message names the target and the field. */
  public ForecastRecord {
    Checks.requireId("targetId", targetId);
    String what = "forecast for " + targetId;
    Objects.requireNonNull(targetKind, what + ": targetKind");
    Checks.requireLonLat(what, lon, lat);
    Objects.requireNonNull(variable, what + ": variable");
    Checks.requireId("model", model);
    Checks.requireId(what + ": modelVersion", modelVersion);
    Objects.requireNonNull(issueTime, what + ": issueTime");
    Objects.requireNonNull(validTime, what + ": validTime");
    if (horizonH < 0) {
      throw new IllegalArgumentException(what + ": horizonH must be >= 0, was " + horizonH);
    }
    Objects.requireNonNull(quantiles, what + ": quantiles");
    quantiles.check(what);
    Checks.requireFinite(what + ": mean", mean);
    Checks.requireFinite(what + ": threshold", threshold);
    if (!(exceedanceProbability >= 0 && exceedanceProbability <= 1)) {
      throw new IllegalArgumentException(
          what + ": exceedanceProbability must be in [0, 1], was " + exceedanceProbability);
    }
    if ((categoryScheme == null) != (category == null)) {
      throw new IllegalArgumentException(
          what
              + ": categoryScheme and category must both be set or both null, were '"
              + categoryScheme
              + "' and '"
              + category
              + "'");
    }
    if (!(intervalFactor > 0) || Double.isInfinite(intervalFactor)) {
      throw new IllegalArgumentException(
          what + ": intervalFactor must be finite and > 0, was " + intervalFactor);
    }
  }

  /**
   * The predictive quantiles at levels 2.5, 5, 25, 50, 75, 95 and 97.5 %, in the variable's unit.
   */
  public record Quantiles(
      double q025, double q05, double q25, double q50, double q75, double q95, double q975) {

    /** The quantiles in level order. */
    public double[] toArray() {
      return new double[] {q025, q05, q25, q50, q75, q95, q975};
    }

    private static final String[] NAMES = {"q025", "q05", "q25", "q50", "q75", "q95", "q975"};

    void check(String what) {
      double[] q = toArray();
      for (int i = 0; i < q.length; i++) {
        Checks.requireFinite(what + ": " + NAMES[i], q[i]);
        if (i > 0 && q[i] < q[i - 1]) {
          throw new IllegalArgumentException(
              what
                  + ": quantiles must be non-decreasing, but "
                  + NAMES[i]
                  + "="
                  + q[i]
                  + " < "
                  + NAMES[i - 1]
                  + "="
                  + q[i - 1]);
        }
      }
    }
  }
}
