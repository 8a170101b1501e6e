package io.terrafield.forecasting.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.terrafield.forecasting.ForecastingException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MissingPatternTest {
  @ParameterizedTest
  @ValueSource(strings = {"random:0.3", "block:0.3", "station:0.3", "mixed:0.3"})
  void removesTheRequestedShareAndLeavesTheInputAlone(String text) {
    double[][] values = new double[10][2000];
    for (double[] row : values) {
      for (int t = 0; t < row.length; t++) {
        row[t] = t % 17 == 0 ? Double.NaN : t;
      }
    }
    double observed = count(values);
    double[][] masked = MissingPattern.parse(text).apply(values, 168, 11);
    assertThat(count(values)).isEqualTo(observed);
    assertThat(1 - count(masked) / observed).isCloseTo(0.3, within(0.03));
  }

  @ParameterizedTest
  @ValueSource(strings = {"block:0.3", "station:0.3"})
  void gapsAreContiguous(String text) {
    double[][] values = new double[4][3000];
    double[][] masked = MissingPattern.parse(text).apply(values, 168, 5);
    int runs = 0;
    int missing = 0;
    for (double[] row : masked) {
      for (int t = 0; t < row.length; t++) {
        if (Double.isNaN(row[t])) {
          missing++;
          runs += t == 0 || !Double.isNaN(row[t - 1]) ? 1 : 0;
        }
      }
    }
    assertThat((double) missing / runs).isGreaterThan(6);
  }

  private static double count(double[][] values) {
    double n = 0;
    for (double[] row : values) {
      for (double v : row) {
        n += Double.isNaN(v) ? 0 : 1;
      }
    }
    return n;
  }

  @ParameterizedTest
  @ValueSource(strings = {"gaps:0.3", "random", "random:x", "random:1.5"})
  void rejectsBadPatterns(String text) {
    assertThatThrownBy(() -> MissingPattern.parse(text))
        .isInstanceOf(ForecastingException.class)
        .hasMessageStartingWith("missing:");
  }
}
