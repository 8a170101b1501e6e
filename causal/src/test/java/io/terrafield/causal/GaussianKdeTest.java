package io.terrafield.causal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GaussianKdeTest {

  @ParameterizedTest
  @ValueSource(doubles = {-1.5, -0.5, 0.0, 0.7, 1.5})
  void binnedScoreMatchesTheExactKdeAndApproximatesTheNormalScore(double y) {
    Random random = new Random(3);
    double[] sample = new double[20000];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = random.nextGaussian();
    }
    GaussianKde kde = GaussianKde.silverman(sample);
    double h = kde.bandwidth();
    double f = 0;
    double df = 0;
    for (double v : sample) {
      double u = (y - v) / h;
      double k = Math.exp(-0.5 * u * u);
      f += k;
      df += -u / h * k;
    }
    assertThat(kde.score(y)).isCloseTo(df / f, within(1e-3));
    assertThat(kde.score(y)).isCloseTo(-y, within(0.3));
    assertThat(kde.density(y))
        .isCloseTo(Math.exp(-y * y / 2) / Math.sqrt(2 * Math.PI), within(0.02));
  }
}
