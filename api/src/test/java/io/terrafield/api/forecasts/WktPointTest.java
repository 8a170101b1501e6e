package io.terrafield.api.forecasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WktPointTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "POINT(116.4 39.9); 116.4; 39.9",
        "point ( -0.5   51.25 ); -0.5; 51.25",
        " POINT(180 -90) ; 180; -90",
        "POINT(1e1 .5); 10; 0.5"
      })
  void parsesWktPoints(String coords, double lon, double lat) {
    WktPoint p = WktPoint.parse(coords);
    assertThat(p.lon()).isEqualTo(lon);
    assertThat(p.lat()).isEqualTo(lat);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"116.4,39.9", "POINT(116.4)", "POINT(116.4 39.9 10)", "POLYGON((1 1))", "", "x"})
  void rejectsWhatIsNotAPointNamingCoordsAndTheValue(String coords) {
    assertThatThrownBy(() -> WktPoint.parse(coords))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("coords: '" + coords + "' is not a WKT point");
  }

  @ParameterizedTest
  @ValueSource(strings = {"POINT(200 10)", "POINT(39.9 116.4)"})
  void rejectsPointsOutsideTheWorld(String coords) {
    assertThatThrownBy(() -> WktPoint.parse(coords))
        .hasMessageContaining("coords: '" + coords + "' lies outside");
  }
}
