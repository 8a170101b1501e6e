package io.terrafield.forecasting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MixtureQuantilesTest {
  @ParameterizedTest
  @CsvSource({
    "0.975, 1.959963985",
    "0.95, 1.644853627",
    "0.5, 0",
    "0.025, -1.959963985",
    "0.001, -3.090232306"
  })
  void normalQuantileMatchesTables(double p, double expected) {
    assertThat(MixtureQuantiles.normalQuantile(p)).isCloseTo(expected, within(1e-7));
  }

  @ParameterizedTest
  @CsvSource({"1, 0.5", "4, 2.0", "16, 0.1"})
  void mixtureOfIdenticalNormalsHasExactNormalQuantiles(int members, double sd) {
    double[] mean = new double[members];
    double[] sds = new double[members];
    java.util.Arrays.fill(mean, 3.0);
    java.util.Arrays.fill(sds, sd);
    double[] levels = {0.01, 0.025, 0.05, 0.5, 0.95, 0.975, 0.99};
    double[] q = MixtureQuantiles.quantiles(mean, sds, levels);
    for (int i = 0; i < levels.length; i++) {
      assertThat(q[i])
          .isCloseTo(3.0 + sd * MixtureQuantiles.normalQuantile(levels[i]), within(1e-5));
    }
  }

  @ParameterizedTest
  @CsvSource({"0.05", "0.3", "0.5", "0.9", "0.995"})
  void bimodalMixtureQuantileInvertsTheCdf(double level) {
    double[] mean = {-2, 0, 5};
    double[] sd = {0.5, 1, 2};
    double q = MixtureQuantiles.quantiles(mean, sd, new double[] {level})[0];
    assertThat(MixtureQuantiles.cdf(mean, sd, q)).isCloseTo(level, within(1e-6));
  }
}
