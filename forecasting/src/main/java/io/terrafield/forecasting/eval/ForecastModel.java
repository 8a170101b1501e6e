package io.terrafield.forecasting.eval;

import io.terrafield.forecasting.SpaceTimeSeries;

/**
 * A forecast model as the evaluation protocol and the served pipeline use it: prepared once on the
 * history, then asked at each issue time. Obtain one from {@link Models}. Not thread-safe.
 */
public interface ForecastModel {
  /** The model name ({@code cglubnf}, {@code persistence}, ...). */
  String name();

  /**
   * Fits the model on {@code observed} (the history after the missing-data pattern) using only time
   * indices before {@code testStart}.
   */
  void prepare(SpaceTimeSeries observed, int testStart);

  /**
   * Quantiles {@code [horizon][station][level]} for target index {@code issue + h − 1}, at the
   * levels of {@link QuantileLevels}, using only {@code observed} values before {@code issue}.
   */
  double[][][] forecast(SpaceTimeSeries observed, int issue, int[] horizons);
}
