package io.terrafield.forecasting.alerts;

import java.time.Instant;
import java.util.Objects;

/**
 * What one forecast issue says about exceedance at one target: the highest P(value &gt; threshold)
 * over the alert's lead times, when it occurs, and the category of the median there.
 *
 * @param issueTime the issue time of the forecast (UTC)
 * @param probability the highest exceedance probability over the leads, in [0, 1]
 * @param validTime the valid time of that probability (UTC)
 * @param median the forecast median at {@code validTime}, in the variable's unit
 * @param category the category label of the median under the configured scheme, or null
 */
public record AlertSignal(
    Instant issueTime, double probability, Instant validTime, double median, String category) {

  /** Validates; messages name the field and the value. */
  public AlertSignal {
    Objects.requireNonNull(issueTime, "signal: issueTime");
    Objects.requireNonNull(validTime, "signal: validTime");
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException(
          "signal at " + issueTime + ": probability must be in [0, 1], was " + probability);
    }
  }
}
