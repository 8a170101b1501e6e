package io.terrafield.ingest.forecast;

import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.categories.CategoryScheme;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the forecast job.
 *
 * @param modelDir the root of the versioned model artifacts ({@code terrafield.forecast.model-dir})
 * @param variables the forecast variables (keys, e.g. {@code pm25})
 * @param field the field configuration artifacts must have (another one is refused)
 * @param zone the offset of the history grid's local times (Beijing: +08:00)
 * @param threshold the exceedance threshold, in the variable's unit
 * @param horizons the largest lead time, hours (72)
 * @param servingHours how long after its training window an artifact may serve, hours
 * @param windowHours how many hours of history the job keeps in state (at least the artifacts'
 *     training window plus {@code servingHours})
 * @param domainKm the forecast domain radius ({@code <= 0}: from the network)
 * @param cellSizeDeg the grid-cell size of the cell forecasts, degrees ({@code <= 0}: no cells)
 * @param scheme the air-quality category scheme of forecasts and alerts
 * @param raiseLevel P(exceedance) that raises an alert episode
 * @param clearLevel P(exceedance) below which an episode clears
 * @param updateStep change of P(exceedance) that sends an update
 * @param alertLeads the lead times 1..alertLeads an alert looks at, hours
 * @param outOfOrderness how late an hourly record may arrive and still be in its hour's issue
 * @param catchUp whether to skip an hour's issue when the next hour is complete too (a job behind
 *     the stream issues only the newest hour)
 * @param quietIssue processing time without a new hourly record after which the newest hour that
 *     has records is issued although the watermark has not passed it (the next hour has not begun);
 *     {@link Duration#ZERO}: never, an hour is issued only once the watermark passes it. The
 *     embedded demo sets it (1 s) so that an hour is issued as soon as its records are in, not one
 *     data hour later; values of that hour that arrive afterwards count as {@code late}
 * @param clock the clock of {@code issuedAt}
 */
public record ForecastJobOptions(
    String modelDir,
    List<String> variables,
    FieldConfig field,
    ZoneOffset zone,
    double threshold,
    int horizons,
    int servingHours,
    int windowHours,
    double domainKm,
    double cellSizeDeg,
    CategoryScheme scheme,
    double raiseLevel,
    double clearLevel,
    double updateStep,
    int alertLeads,
    Duration outOfOrderness,
    boolean catchUp,
    Duration quietIssue,
    Clock clock)
    implements Serializable {

  /** Validates; messages name the setting and value. */
  public ForecastJobOptions {
    Objects.requireNonNull(modelDir, "modelDir");
    variables = List.copyOf(variables);
    if (variables.isEmpty()) {
      throw new IllegalArgumentException("variables: at least one is needed");
    }
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(zone, "zone");
    if (horizons < 1 || alertLeads < 1 || alertLeads > horizons) {
      throw new IllegalArgumentException(
          "horizons/alertLeads: need 1 <= alertLeads <= horizons, were "
              + alertLeads
              + " and "
              + horizons);
    }
    if (servingHours < 1 || windowHours < 1) {
      throw new IllegalArgumentException(
          "servingHours/windowHours: must be >= 1, were " + servingHours + ", " + windowHours);
    }
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(outOfOrderness, "outOfOrderness");
    Objects.requireNonNull(quietIssue, "quietIssue");
    if (quietIssue.isNegative()) {
      throw new IllegalArgumentException("quietIssue: must be >= 0, was " + quietIssue);
    }
    Objects.requireNonNull(clock, "clock");
  }

  /** The same options with another model directory. */
  public ForecastJobOptions withModelDir(String dir) {
    return new ForecastJobOptions(
        dir,
        variables,
        field,
        zone,
        threshold,
        horizons,
        servingHours,
        windowHours,
        domainKm,
        cellSizeDeg,
        scheme,
        raiseLevel,
        clearLevel,
        updateStep,
        alertLeads,
        outOfOrderness,
        catchUp,
        quietIssue,
        clock);
  }
}
