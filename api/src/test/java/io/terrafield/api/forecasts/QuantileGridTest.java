package io.terrafield.api.forecasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.hipparchus.distribution.continuous.LogNormalDistribution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Known truth: for a log-normal Y (PM2.5-like: median 60, log-sd 0.8) evaluated on the grid, the
 * mid-point mean and the interpolated exceedance probabilities are within the grid's resolution of
 * the exact values.
 */
class QuantileGridTest {

  static final QuantileGrid GRID = new QuantileGrid(40, ForecastService.REPORTED);

  @ParameterizedTest(name = "median {0}, sigma {1}, threshold {2}")
  @CsvSource({
    "60, 0.8, 75",
    "60, 0.8, 10",
    "60, 0.8, 300",
    "20, 0.3, 75",
    "150, 0.5, 75",
    "75, 0.6, 75"
  })
  void exceedanceAndMeanMatchTheExactLogNormal(double median, double sigma, double threshold) {
    LogNormalDistribution y = new LogNormalDistribution(Math.log(median), sigma);
    double[] levels = GRID.levels();
    double[] q = new double[levels.length];
    for (int i = 0; i < levels.length; i++) {
      q[i] = y.inverseCumulativeProbability(levels[i]);
    }
    double exact = 1 - y.cumulativeProbability(threshold);
    double p = GRID.exceedance(q, threshold);
    assertThat(p).isBetween(0.0, 1.0).isCloseTo(exact, within(1.0 / 40));
    // The mid-point rule truncates the tails: within 3 % for these spreads.
    assertThat(GRID.mean(q)).isCloseTo(y.getNumericalMean(), within(0.03 * y.getNumericalMean()));
    double[] reported = GRID.reported(q);
    assertThat(reported).isSorted();
    assertThat(reported[3]).isCloseTo(median, within(1e-6 * median));
  }

  @ParameterizedTest
  @CsvSource({"0.025, q025", "0.05, q05", "0.25, q25", "0.5, q50", "0.95, q95", "0.975, q975"})
  void quantileNames(double level, String name) {
    assertThat(ForecastService.quantileName(level)).isEqualTo(name);
  }
}
