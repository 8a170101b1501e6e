package io.terrafield.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One alert message: the forecast probability that {@code variable} exceeds {@code threshold} at
 * {@code targetId} at {@code validTime}, as one step of an alert episode. An episode of one target
 * and variable is raised once, updated while it holds and cleared once; all its messages share
 * {@code episodeId}. Keyed on {@code id}.
 *
 * @param id unique message id (the CloudEvents id)
 * @param episodeId the episode the message belongs to
 * @param state raised, updated or cleared
 * @param targetId station id or grid cell id
 * @param variable the variable
 * @param validTime the time of the highest exceedance probability of the issue (UTC)
 * @param threshold the threshold in the variable's unit
 * @param probability P(value &gt; threshold) at {@code validTime}, in [0, 1]
 * @param issuedAt the issue time of the forecast the message came from (UTC)
 * @param categoryScheme the category scheme id (e.g. {@code us-epa-aqi}), or null
 * @param category the category label of the forecast median at {@code validTime}, null exactly when
 *     {@code categoryScheme} is
 * @param payload the full alert message as JSON text (stored verbatim), or {@code null}
 */
public record Alert(
    String id,
    String episodeId,
    AlertState state,
    String targetId,
    Variable variable,
    Instant validTime,
    double threshold,
    double probability,
    Instant issuedAt,
    String categoryScheme,
    String category,
    String payload) {

  /** Validates; every message names the alert and the field. */
  public Alert {
    Checks.requireId("alert id", id);
    Checks.requireId("alert " + id + ": episodeId", episodeId);
    Objects.requireNonNull(state, "alert " + id + ": state");
    Checks.requireId("targetId", targetId);
    Objects.requireNonNull(variable, "variable");
    Objects.requireNonNull(validTime, "validTime");
    Checks.requireFinite("alert " + id + ": threshold", threshold);
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException(
          "alert " + id + ": probability must be in [0, 1], was " + probability);
    }
    Objects.requireNonNull(issuedAt, "issuedAt");
    if ((categoryScheme == null) != (category == null)) {
      throw new IllegalArgumentException(
          "alert " + id + ": categoryScheme and category must both be set or both null");
    }
  }

  /** A single raised alert without an episode or category (its own episode). */
  public Alert(
      String id,
      String targetId,
      Variable variable,
      Instant validTime,
      double threshold,
      double probability,
      Instant issuedAt,
      String payload) {
    this(
        id,
        id,
        AlertState.RAISED,
        targetId,
        variable,
        validTime,
        threshold,
        probability,
        issuedAt,
        null,
        null,
        payload);
  }
}
