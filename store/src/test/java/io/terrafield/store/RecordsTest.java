package io.terrafield.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Bad values in the stored records are rejected with messages that name field and value. */
class RecordsTest {

  private static final Instant T = Instant.parse("2020-01-01T00:00:00Z");

  @Test
  void crossingQuantilesAreRejected() {
    assertThatThrownBy(
            () -> new ForecastRecord("A", 1, 2, Variable.PM25, "m", T, T, 0, 10, 1, 5, 4, 6, 7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forecast for A: quantiles must be non-decreasing, but q50=4.0 < q25=5.0");
  }

  @Test
  void nonFiniteForecastAndBadPositionAreRejected() {
    assertThatThrownBy(
            () ->
                new ForecastRecord(
                    "A", 1, 2, Variable.PM25, "m", T, T, 0, Double.NaN, 1, 2, 3, 4, 5))
        .hasMessage("forecast for A: mean must be finite, was NaN");
    assertThatThrownBy(
            () -> new ForecastRecord("A", 181, 2, Variable.PM25, "m", T, T, 0, 1, 1, 2, 3, 4, 5))
        .hasMessage("forecast for A: lon out of range [-180, 180]: 181.0");
    assertThatThrownBy(
            () -> new ForecastRecord("A", 1, 2, Variable.PM25, "m", T, T, -1, 1, 1, 2, 3, 4, 5))
        .hasMessage("forecast for A: horizonH must be >= 0, was -1");
  }

  @Test
  void alertProbabilityMustBeAProbability() {
    assertThatThrownBy(() -> new Alert("x", "A", Variable.PM25, T, 75, 1.5, T, null))
        .hasMessage("alert x: probability must be in [0, 1], was 1.5");
  }

  @Test
  void satelliteFeatureNeedsIdsAndAFiniteValue() {
    assertThatThrownBy(() -> new SatelliteFeature(" ", "A", T, "ndvi", 1))
        .hasMessage("sceneId must not be blank, was ' '");
    assertThatThrownBy(() -> new SatelliteFeature("s", "A", T, "ndvi", Double.POSITIVE_INFINITY))
        .hasMessage("satellite feature ndvi of scene s must be finite, was Infinity");
  }
}
