package io.terrafield.forecasting;

import java.util.Locale;
import java.util.Map;

/**
 * The plausible upper bound of each pollutant, in µg/m³: the same bounds as the sensor stream's
 * validator ({@code io.terrafield.store.Variable}; a test in the api module checks that the two
 * tables agree). No served or evaluated quantile exceeds it.
 */
public final class PlausibleRange {
  private static final Map<String, Double> MAX =
      Map.of(
          "pm25", 2000.0, "pm10", 3000.0, "no2", 1000.0, "so2", 1000.0, "co", 20000.0, "o3",
          1000.0);

  private PlausibleRange() {}

  /**
   * The plausible maximum of a pollutant named by key or column ({@code pm25}, {@code PM2.5},
   * {@code pm10}, ...; case and dots ignored).
   *
   * @throws ForecastingException naming the variable when it is not a known pollutant
   */
  public static double max(String variable) {
    Double max = MAX.get(normalise(variable));
    if (max == null) {
      throw new ForecastingException(
          "variable: '" + variable + "' has no plausible range (known: " + MAX.keySet() + ")");
    }
    return max;
  }

  /** As {@link #max}, or +∞ for a variable without a known range. */
  public static double maxOrInfinity(String variable) {
    return MAX.getOrDefault(normalise(variable), Double.POSITIVE_INFINITY);
  }

  private static String normalise(String variable) {
    return variable == null ? "" : variable.toLowerCase(Locale.ROOT).replace(".", "");
  }
}
