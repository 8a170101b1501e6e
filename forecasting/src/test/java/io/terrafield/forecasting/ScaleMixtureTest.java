package io.terrafield.forecasting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The equal-weight scale mixture of the residual update's innovations, on samples of known law. */
class ScaleMixtureTest {
  private static double gaussian(SplittableRandom random) {
    double u = Math.max(1e-12, random.nextDouble());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  @Test
  void normalSamplesGiveVariancesCloseToTheTrueVariance() {
    SplittableRandom random = new SplittableRandom(3);
    double[] u = new double[20_000];
    for (int i = 0; i < u.length; i++) {
      u[i] = 2 * gaussian(random);
    }
    double[] v = Forecaster.scaleMixture(u);
    double mean = 0;
    for (double value : v) {
      mean += value / v.length;
      assertThat(value).isBetween(2.5, 5.5);
    }
    assertThat(mean).isCloseTo(4.0, within(0.3));
  }

  @Test
  void heavyTailedSamplesAreRecoveredWithTheirTailQuantiles() {
    // half N(0, 0.5²), half N(0, 3²): the 99.5 % quantile of |u| is far beyond a Normal fit's
    SplittableRandom random = new SplittableRandom(5);
    double[] u = new double[40_000];
    for (int i = 0; i < u.length; i++) {
      u[i] = (i % 2 == 0 ? 0.5 : 3.0) * gaussian(random);
    }
    double[] v = Forecaster.scaleMixture(u);
    assertThat(v[0]).isLessThan(0.6);
    assertThat(v[v.length - 1]).isGreaterThan(6.0);
    double[] means = new double[v.length];
    double[] sds = new double[v.length];
    for (int j = 0; j < v.length; j++) {
      sds[j] = Math.sqrt(v[j]);
    }
    double[] q = MixtureQuantiles.quantiles(means, sds, new double[] {0.75, 0.9975});
    // quantiles of the true mixture
    double exact75 =
        MixtureQuantiles.quantiles(new double[2], new double[] {0.5, 3.0}, new double[] {0.75})[0];
    double exactTail =
        MixtureQuantiles.quantiles(new double[2], new double[] {0.5, 3.0}, new double[] {0.9975})[
            0];
    assertThat(q[0]).isCloseTo(exact75, within(0.1 * exact75));
    assertThat(q[1]).isCloseTo(exactTail, within(0.05 * exactTail));
  }
}
