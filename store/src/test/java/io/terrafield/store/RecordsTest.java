package io.terrafield.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Bad values in the stored records are rejected with messages that name field and value. */
class RecordsTest {

  private static final Instant T = Instant.parse("2020-01-01T00:00:00Z");

  private static ForecastRecord forecast(
      double lon, int horizon, double mean, double q25, double q50, String scheme) {
    return new ForecastRecord(
        "A",
        TargetKind.STATION,
        lon,
        2,
        Variable.PM25,
        "m",
        "m-1",
        T,
        T,
        horizon,
        new ForecastRecord.Quantiles(0, 1, q25, q50, 6, 7, 8),
        mean,
        75,
        0.1,
        scheme,
        "Good",
        1);
  }

  @Test
  void crossingQuantilesAreRejected() {
    assertThatThrownBy(() -> forecast(1, 0, 10, 5, 4, "us-epa-aqi"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forecast for A: quantiles must be non-decreasing, but q50=4.0 < q25=5.0");
  }

  @Test
  void nonFiniteForecastBadPositionAndHalfACategoryAreRejected() {
    assertThatThrownBy(() -> forecast(1, 0, Double.NaN, 2, 3, "us-epa-aqi"))
        .hasMessage("forecast for A: mean must be finite, was NaN");
    assertThatThrownBy(() -> forecast(181, 0, 1, 2, 3, "us-epa-aqi"))
        .hasMessage("forecast for A: lon out of range [-180, 180]: 181.0");
    assertThatThrownBy(() -> forecast(1, -1, 1, 2, 3, "us-epa-aqi"))
        .hasMessage("forecast for A: horizonH must be >= 0, was -1");
    assertThatThrownBy(() -> forecast(1, 1, 1, 2, 3, null))
        .hasMessage(
            "forecast for A: categoryScheme and category must both be set or both null, were"
                + " 'null' and 'Good'");
  }

  @Test
  void gridCellIdsAreStableAndParse() {
    ForecastGrid grid = new ForecastGrid(0.05);
    ForecastGrid.Cell cell = grid.cellAt(116.397, 39.982);
    org.assertj.core.api.Assertions.assertThat(cell.id()).isEqualTo("cell_0.05_5927_2599");
    org.assertj.core.api.Assertions.assertThat(cell.lon()).isCloseTo(116.375, within());
    org.assertj.core.api.Assertions.assertThat(cell.lat()).isCloseTo(39.975, within());
    org.assertj.core.api.Assertions.assertThat(ForecastGrid.parse(cell.id())).isEqualTo(cell);
    org.assertj.core.api.Assertions.assertThat(grid.cellsIn(116.36, 39.96, 116.43, 39.99))
        .extracting(ForecastGrid.Cell::id)
        .containsExactly("cell_0.05_5927_2599", "cell_0.05_5928_2599");
    assertThatThrownBy(() -> ForecastGrid.parse("A"))
        .hasMessage("cell id: 'A' is not of the form cell_<size>_<column>_<row>");
    assertThatThrownBy(() -> new ForecastGrid(0))
        .hasMessage("cellSizeDeg must be in (0, 10], was 0.0");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
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
