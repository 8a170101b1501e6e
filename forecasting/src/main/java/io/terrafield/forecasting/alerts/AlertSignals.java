package io.terrafield.forecasting.alerts;

import io.terrafield.forecasting.serving.IssuedForecast;
import java.time.Instant;
import java.util.function.DoubleFunction;

/** Reads the {@link AlertSignal} of one target off an issued forecast. Stateless. */
public final class AlertSignals {

  private AlertSignals() {}

  /**
   * The highest exceedance probability over leads 1..{@code maxLead} (the earliest lead on ties),
   * with its valid time, median and the median's category.
   *
   * @param category the category label of a median, or null
   * @throws IllegalArgumentException if the target has no lead in 1..maxLead
   */
  public static AlertSignal of(
      Instant issueTime,
      IssuedForecast.Target target,
      int maxLead,
      DoubleFunction<String> category) {
    IssuedForecast.Lead best = null;
    for (IssuedForecast.Lead lead : target.leads()) {
      if (lead.leadHours() <= maxLead
          && (best == null || lead.exceedanceProbability() > best.exceedanceProbability())) {
        best = lead;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException(
          "target " + target.id() + ": no lead in 1.." + maxLead + " hours");
    }
    double median = best.quantiles().q50();
    return new AlertSignal(
        issueTime,
        Math.min(1, Math.max(0, best.exceedanceProbability())),
        best.validTime(),
        median,
        category.apply(median));
  }
}
