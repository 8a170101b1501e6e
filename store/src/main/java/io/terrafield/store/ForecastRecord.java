package io.terrafield.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One probabilistic forecast of a variable at a target (a station or a grid cell) for one valid
 * time, issued at one issue time by one model: the predictive mean and five quantiles.
 *
 * @param targetId station id or grid cell id
 * @param lon longitude of the target in degrees (WGS84), [-180, 180]
 * @param lat latitude of the target in degrees (WGS84), [-90, 90]
 * @param variable the forecast variable
 * @param model the model name (e.g. {@code cglubnf}, {@code persistence})
 * @param issueTime when the forecast was issued (UTC)
 * @param validTime the time the forecast is for (UTC)
 * @param horizonH lead time in hours, {@code >= 0}
 * @param mean predictive mean
 * @param q05 5 % quantile; the five quantiles must be finite and non-decreasing
 */
public record ForecastRecord(
    String targetId,
    double lon,
    double lat,
    Variable variable,
    String model,
    Instant issueTime,
    Instant validTime,
    int horizonH,
    double mean,
    double q05,
    double q25,
    double q50,
    double q75,
    double q95) {

  public ForecastRecord {
    Checks.requireId("targetId", targetId);
    Checks.requireLonLat("forecast for " + targetId, lon, lat);
    Objects.requireNonNull(variable, "variable");
    Checks.requireId("model", model);
    Objects.requireNonNull(issueTime, "issueTime");
    Objects.requireNonNull(validTime, "validTime");
    if (horizonH < 0) {
      throw new IllegalArgumentException(
          "forecast for " + targetId + ": horizonH must be >= 0, was " + horizonH);
    }
    Checks.requireFinite("forecast for " + targetId + ": mean", mean);
    double[] q = {q05, q25, q50, q75, q95};
    String[] names = {"q05", "q25", "q50", "q75", "q95"};
    for (int i = 0; i < q.length; i++) {
      Checks.requireFinite("forecast for " + targetId + ": " + names[i], q[i]);
      if (i > 0 && q[i] < q[i - 1]) {
        throw new IllegalArgumentException(
            "forecast for "
                + targetId
                + ": quantiles must be non-decreasing, but "
                + names[i]
                + "="
                + q[i]
                + " < "
                + names[i - 1]
                + "="
                + q[i - 1]);
      }
    }
  }
}
