package io.terrafield.forecasting.serving;

import io.terrafield.forecasting.eval.QuantileLevels;
import java.time.Instant;
import java.util.List;

/**
 * One issue of the served forecast: for every target (station) and lead time 1..H hours, the
 * predictive quantiles, mean and P(value &gt; threshold) of the calibrated CGLUBNF forecast, in the
 * variable's unit (µg/m³), every number finite and inside [0, the variable's plausible maximum].
 *
 * @param variable the variable key or column (e.g. {@code pm25})
 * @param issueTime the issue time: the valid time of lead 1, one hour after the newest observation
 *     the forecast uses (UTC)
 * @param issuedAt when it was computed (the injected clock)
 * @param modelVersion the model artifact the forecast came from
 * @param threshold the exceedance threshold of {@link Lead#exceedanceProbability}, µg/m³
 * @param targets one entry per station, in the network's order
 */
public record IssuedForecast(
    String variable,
    Instant issueTime,
    Instant issuedAt,
    String modelVersion,
    double threshold,
    List<Target> targets) {

  /** Copies the list. */
  public IssuedForecast {
    targets = List.copyOf(targets);
  }

  /** The target with this id, or null. */
  public Target target(String id) {
    return targets.stream().filter(t -> t.id().equals(id)).findFirst().orElse(null);
  }

  /**
   * The forecasts of one target.
   *
   * @param id station id
   * @param lon longitude, degrees (WGS84)
   * @param lat latitude, degrees (WGS84)
   * @param leads lead times 1..H in order
   */
  public record Target(String id, double lon, double lat, List<Lead> leads) {
    /** Copies the list. */
    public Target {
      leads = List.copyOf(leads);
    }
  }

  /**
   * The forecast for one lead time.
   *
   * @param leadHours lead time in hours (1 = the issue time's hour)
   * @param validTime the hour the forecast is for (UTC)
   * @param quantiles the central 50/90/95 % interval bounds and the median
   * @param mean the predictive mean (midpoint rule over 199 quantiles)
   * @param exceedanceProbability P(value &gt; threshold), read off the quantile function
   * @param intervalFactor the rolling interval calibration's factor c (1 = uncalibrated)
   */
  public record Lead(
      int leadHours,
      Instant validTime,
      Quantiles quantiles,
      double mean,
      double exceedanceProbability,
      double intervalFactor) {}

  /** Named predictive quantiles: {@code q025} is the 2.5 % quantile, and so on; non-decreasing. */
  public record Quantiles(
      double q025, double q05, double q25, double q50, double q75, double q95, double q975) {

    /** The named quantiles out of a full quantile vector at {@link QuantileLevels#LEVELS}. */
    static Quantiles of(double[] q) {
      return new Quantiles(
          q[QuantileLevels.Q025],
          q[QuantileLevels.Q05],
          q[QuantileLevels.Q25],
          q[QuantileLevels.MEDIAN],
          q[QuantileLevels.Q75],
          q[QuantileLevels.Q95],
          q[QuantileLevels.Q975]);
    }
  }
}
