package io.terrafield.forecasting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FeatureMapTest {
  private final FeatureMap hourly =
      new FeatureMap(0, 1, 0, 1, 0, 1, 2, FeatureMap.HOURLY_PERIODS, FeatureMap.HOURLY_HARMONICS);

  @Test
  void spatialFourierFeaturesHaveKnownValues() {
    float[] out = new float[hourly.spatialCount()];
    hourly.spatial(0.25, 0.5, out, 0);
    // lon 0.25: d=0 cos(π/2)=0, sin=1; d=1 cos(π)/2=-0.5, sin(π)/2=0
    assertThat(out[0]).isCloseTo(0f, within(1e-6f));
    assertThat(out[1]).isCloseTo(1f, within(1e-6f));
    assertThat(out[2]).isCloseTo(-0.5f, within(1e-6f));
    assertThat(out[3]).isCloseTo(0f, within(1e-6f));
    // lat 0.5: d=0 cos(π)=-1, sin=0; d=1 cos(2π)/2=0.5
    assertThat(out[4]).isCloseTo(-1f, within(1e-6f));
    assertThat(out[5]).isCloseTo(0f, within(1e-6f));
    assertThat(out[6]).isCloseTo(0.5f, within(1e-6f));
  }

  @Test
  void seasonalFeaturesHaveKnownValues() {
    float[] out = new float[hourly.seasonalCount()];
    hourly.seasonal(6, out, 0);
    // period 24, h=1: cos(π/2)=0, sin=1; h=2: cos(π)/2=-0.5, sin(π)/2=0
    assertThat(out[0]).isCloseTo(0f, within(1e-6f));
    assertThat(out[1]).isCloseTo(1f, within(1e-6f));
    assertThat(out[2]).isCloseTo(-0.5f, within(1e-6f));
    assertThat(out[3]).isCloseTo(0f, within(1e-6f));
    // period 168, h=1 starts after 4 harmonics of the daily period (8 columns)
    assertThat(out[8]).isCloseTo((float) Math.cos(2 * Math.PI * 6 / 168), within(1e-6f));
    assertThat(hourly.seasonalCount()).isEqualTo(2 * (4 + 3 + 4));
  }

  @Test
  void dailyFeatureSetAndGroups() {
    FeatureMap daily =
        new FeatureMap(0, 1, 0, 1, 0, 1, 5, FeatureMap.DAILY_PERIODS, FeatureMap.DAILY_HARMONICS);
    assertThat(daily.size()).isEqualTo(3 + 20 + 18);
    assertThat(daily.groups()).startsWith(0, 1, 2, 3).endsWith(4);
  }

  @Test
  void harmonicsAbovePeriodHalfAreRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new FeatureMap(0, 1, 0, 1, 0, 1, 1, new double[] {4}, new int[] {3}))
        .isInstanceOf(ForecastingException.class)
        .hasMessageContaining("harmonics");
  }
}
