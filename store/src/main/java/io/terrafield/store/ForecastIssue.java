package io.terrafield.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One published issue of forecasts of a variable by a model: the row that makes an issue visible to
 * readers (see {@link ForecastStore}). Keyed on (variable, model, issue time).
 *
 * @param variable the forecast variable
 * @param model the model name (e.g. {@code cglubnf})
 * @param issueTime the issue time (UTC): the valid time of lead 1
 * @param modelVersion the model artifact version the issue came from
 * @param issuedAt when the job computed it (UTC, the job's clock)
 * @param stationCount number of station targets in the issue, {@code >= 0}
 * @param cellCount number of grid-cell targets in the issue, {@code >= 0}
 * @param cellSizeDeg the {@link ForecastGrid} cell size of the cells, degrees; 0 when there are no
 *     cells
 * @param maxHorizonH the largest lead time of the issue, hours, {@code >= 0}
 */
public record ForecastIssue(
    Variable variable,
    String model,
    Instant issueTime,
    String modelVersion,
    Instant issuedAt,
    int stationCount,
    int cellCount,
    double cellSizeDeg,
    int maxHorizonH) {

  /** Validates; every message names the field and the value. */
  public ForecastIssue {
    Objects.requireNonNull(variable, "issue: variable");
    Checks.requireId("issue: model", model);
    Objects.requireNonNull(issueTime, "issue: issueTime");
    Checks.requireId("issue: modelVersion", modelVersion);
    Objects.requireNonNull(issuedAt, "issue: issuedAt");
    if (stationCount < 0 || cellCount < 0 || maxHorizonH < 0) {
      throw new IllegalArgumentException(
          "issue "
              + issueTime
              + ": stationCount, cellCount and maxHorizonH must be >= 0, were "
              + stationCount
              + ", "
              + cellCount
              + ", "
              + maxHorizonH);
    }
    if (!(cellSizeDeg >= 0) || Double.isInfinite(cellSizeDeg)) {
      throw new IllegalArgumentException(
          "issue " + issueTime + ": cellSizeDeg must be finite and >= 0, was " + cellSizeDeg);
    }
  }
}
