package io.terrafield.forecasting.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MetricsTest {
  private static double[] standardNormalQuantiles() {
    double[] q = new double[QuantileLevels.LEVELS.length];
    for (int i = 0; i < q.length; i++) {
      q[i] = inverse(QuantileLevels.LEVELS[i]);
    }
    return q;
  }

  private static double inverse(double p) {
    double lo = -10;
    double hi = 10;
    for (int i = 0; i < 100; i++) {
      double mid = (lo + hi) / 2;
      if (cdf(mid) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  private static double cdf(double x) {
    double sum = 0;
    double term = x;
    for (int n = 0; n < 200; n++) {
      sum += term / (2 * n + 1);
      term *= -x * x / (2 * (n + 1));
    }
    return 0.5 + sum / Math.sqrt(2 * Math.PI);
  }

  @Test
  void crpsOfStandardNormalAtZeroMatchesClosedForm() {
    Metrics metrics = new Metrics();
    metrics.add(standardNormalQuantiles(), 0.0);
    // CRPS(N(0,1), 0) = 2φ(0) − 1/√π = 0.233695; the grid omits tails beyond 0.5 %
    assertThat(metrics.crps()).isCloseTo(0.233695, within(0.003));
    assertThat(metrics.mae()).isCloseTo(0.0, within(1e-6));
    assertThat(metrics.mpiw95()).isCloseTo(2 * 1.959964, within(1e-4));
  }

  @Test
  void calibratedForecastCoversAtNominalRates() {
    double[] q = standardNormalQuantiles();
    SplittableRandom random = new SplittableRandom(3);
    Metrics metrics = new Metrics();
    for (int i = 0; i < 20000; i++) {
      double u = Math.max(1e-12, random.nextDouble());
      metrics.add(q, Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
    }
    assertThat(metrics.picp90()).isCloseTo(0.90, within(0.01));
    assertThat(metrics.picp95()).isCloseTo(0.95, within(0.008));
    assertThat(metrics.rmse()).isCloseTo(1.0, within(0.02));
    // expected CRPS of a calibrated N(0,1) is 1/√π = 0.5642
    assertThat(metrics.crps()).isCloseTo(0.5642, within(0.01));
    for (long count : metrics.pitHistogram) {
      assertThat(count / 20000.0 * Metrics.PIT_BINS).isCloseTo(1.0, within(0.12));
    }
  }
}
