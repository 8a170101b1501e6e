package io.terrafield.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An exceedance alert: the forecast probability that {@code variable} exceeds {@code threshold} at
 * {@code targetId} at {@code validTime}. Keyed on {@code id}.
 *
 * @param id unique alert id (e.g. the CloudEvents id)
 * @param targetId station id or grid cell id
 * @param variable the variable
 * @param validTime the time the exceedance is forecast for (UTC)
 * @param threshold the threshold in the variable's unit
 * @param probability P(value > threshold), in [0, 1]
 * @param issuedAt when the alert was issued (UTC)
 * @param payload the full alert message as JSON text (stored verbatim), or {@code null}
 */
public record Alert(
    String id,
    String targetId,
    Variable variable,
    Instant validTime,
    double threshold,
    double probability,
    Instant issuedAt,
    String payload) {

  public Alert {
    Checks.requireId("alert id", id);
    Checks.requireId("targetId", targetId);
    Objects.requireNonNull(variable, "variable");
    Objects.requireNonNull(validTime, "validTime");
    Checks.requireFinite("alert " + id + ": threshold", threshold);
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException(
          "alert " + id + ": probability must be in [0, 1], was " + probability);
    }
    Objects.requireNonNull(issuedAt, "issuedAt");
  }
}
