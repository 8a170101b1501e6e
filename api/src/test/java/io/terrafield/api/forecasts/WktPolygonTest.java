package io.terrafield.api.forecasts;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every WKT failure of the area query's {@code coords} is a 400 whose detail starts with {@code
 * coords: '<value>'} and says what is wrong, JTS's own exceptions (an unclosed ring) included.
 */
class WktPolygonTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "POLYGON((116.3 39.85,116.5 39.85))|is not a WKT polygon: a ring is not closed",
        "POLYGON((116.3 39.85,116.5 39.85,116.3 39.85))|is not a valid polygon: Too few distinct",
        "POLYGON((116.3 39.85,116.5 39.85,116.5 40,116.3 40))|is not a WKT polygon: a ring is not"
            + " closed (its last point must repeat its first)",
        "POLYGON((116.3 39.85,116.5 39.85,116.5 40)|is not a WKT polygon:",
        "POLYGON((a b, c d))|is not a WKT polygon:",
        "nonsense|is not a WKT polygon:",
        "POINT(116.4 39.9)|is not a POLYGON or MULTIPOLYGON with an area",
        "POLYGON((116.3 39.85,116.5 40,116.5 39.85,116.3 40,116.3 39.85))|is not a valid polygon"
      })
  void aWktFailureNamesCoordsAndTheValue(String coords, String what) {
    assertThatThrownBy(() -> GridController.parsePolygon(coords))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("coords: '" + coords + "' " + what);
  }
}
