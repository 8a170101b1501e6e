package io.terrafield.api.forecasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The query rules on a synthetic stored issue whose cell values are a linear function of lon, lat
 * and lead (so bilinear interpolation must reproduce it exactly): station forecasts within {@code
 * nearest-km}, interpolation between cells, the domain check and {@code datetime}.
 */
class IssueQueriesTest {

  static final Instant ISSUE = Instant.parse("2016-02-05T16:00:00Z");
  static final double SIZE = 0.05;
  static final IssueQueries QUERIES = new IssueQueries(10);

  /** mean = 100 + 200·(lon − 116) + 100·(lat − 39.8) + lead; quantiles around it; p = 0.2. */
  static double[] values(double lon, double lat, int lead) {
    double m = 100 + 200 * (lon - 116) + 100 * (lat - 39.8) + lead;
    return new double[] {m - 30, m - 20, m - 10, m, m + 10, m + 20, m + 30, m + 1, 0.2};
  }

  static StoredIssue issue() {
    List<Instant> times = new ArrayList<>();
    for (int h = 0; h < 6; h++) {
      times.add(ISSUE.plus(Duration.ofHours(h)));
    }
    List<StoredIssue.Target> stations =
        List.of(target("Dongsi", 116.417, 39.929, 6), target("Huairou", 116.628, 40.328, 6));
    List<StoredIssue.Target> cells = new ArrayList<>();
    // the global lattice: centres at -180 + (i + 0.5)·0.05
    for (int i = 5920; i < 5936; i++) {
      for (int j = 2595; j < 2608; j++) {
        cells.add(
            target("cell_0.05_" + i + "_" + j, -180 + (i + 0.5) * SIZE, -90 + (j + 0.5) * SIZE, 6));
      }
    }
    return StoredIssue.of(
        Variable.PM25,
        ISSUE,
        ISSUE.plusSeconds(60),
        "cglubnf-test",
        75,
        SIZE,
        times,
        stations,
        cells,
        Map.of(1, 1.1, 6, 1.2),
        0);
  }

  static StoredIssue.Target target(String id, double lon, double lat, int hours) {
    double[][] v = new double[hours][];
    for (int h = 0; h < hours; h++) {
      v[h] = values(lon, lat, h + 1);
    }
    return new StoredIssue.Target(id, lon, lat, v);
  }

  @Test
  void nearAStationThePositionIsTheStationsStoredForecast() {
    IssuePosition p = QUERIES.position(issue(), 116.42, 39.93, ValidTimes.ALL);

    assertThat(p.source()).isEqualTo("station");
    assertThat(p.station()).isEqualTo("Dongsi");
    assertThat(p.times()).hasSize(6).first().isEqualTo(ISSUE);
    assertThat(p.series().get("q50")[0]).isEqualTo(values(116.417, 39.929, 1)[3]);
    assertThat(p.modelVersion()).isEqualTo("cglubnf-test");
  }

  @ParameterizedTest(name = "POINT({0} {1})")
  @CsvSource({"116.3, 40.0", "116.5123, 40.1777", "116.301, 39.901"})
  void betweenCellsThePositionIsTheBilinearInterpolation(double lon, double lat) {
    IssuePosition p = QUERIES.position(issue(), lon, lat, ValidTimes.ALL);

    assertThat(p.source()).isEqualTo("field");
    assertThat(p.station()).isNull();
    for (int h = 0; h < 6; h++) {
      double[] expected = values(lon, lat, h + 1);
      List<String> names = StoredIssue.SERIES;
      for (int k = 0; k < names.size(); k++) {
        assertThat(p.series().get(names.get(k))[h])
            .as(names.get(k) + " at lead " + (h + 1))
            .isCloseTo(expected[k], within(1e-9));
      }
    }
  }

  @Test
  void insideTheDomainButBeyondTheStoredCellsThePositionIsTheNearestStation() {
    IssuePosition p = QUERIES.position(issue(), 116.9, 40.5, ValidTimes.ALL);

    assertThat(p.source()).isEqualTo("nearest-station");
    assertThat(p.station()).isEqualTo("Huairou");
  }

  @Test
  void outsideTheDomainThePositionIsRefusedNamingTheDistance() {
    assertThatThrownBy(() -> QUERIES.position(issue(), 2.35, 48.85, ValidTimes.ALL))
        .isInstanceOf(OutsideForecastDomainException.class)
        .hasMessageStartingWith("coords: POINT(2.35 48.85) is ")
        .hasMessageContaining(" km from the nearest station (");
  }

  @Test
  void datetimeSelectsValidTimesAndNamesTheIssueWhenNoneIsSelected() {
    IssuePosition p =
        QUERIES.position(
            issue(), 116.3, 40.0, ValidTimes.parse("2016-02-05T17:30:00Z/2016-02-05T19:00:00Z"));
    assertThat(p.times())
        .containsExactly(
            Instant.parse("2016-02-05T18:00:00Z"), Instant.parse("2016-02-05T19:00:00Z"));
    assertThat(
            QUERIES
                .position(issue(), 116.3, 40.0, ValidTimes.parse("2016-02-05T20:10:00Z/.."))
                .times())
        .containsExactly(Instant.parse("2016-02-05T21:00:00Z"));
    assertThat(QUERIES.position(issue(), 116.3, 40.0, ValidTimes.parse("2016-02-05T17:59:59Z")))
        .extracting(IssuePosition::times)
        .isEqualTo(List.of(Instant.parse("2016-02-05T17:00:00Z")));
    assertThatThrownBy(
            () -> QUERIES.position(issue(), 116.3, 40.0, ValidTimes.parse("2020-01-01T00:00:00Z")))
        .hasMessage(
            "datetime: no forecast hour in 2020-01-01T00:00:00Z; the issue of"
                + " 2016-02-05T16:00:00Z covers 2016-02-05T16:00:00Z/2016-02-05T21:00:00Z");
  }

  @ParameterizedTest
  @CsvSource({"yesterday", "../..", "2016-02-05T18:00:00Z/2016-02-05T17:00:00Z", "a/b/c"})
  void aBadDatetimeIsRefusedNamingTheValue(String datetime) {
    assertThatThrownBy(() -> ValidTimes.parse(datetime))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("datetime: '" + datetime + "'");
  }

  @Test
  void aGridInterpolatesInsideTheDomainAndIsNaNOutsideItOrThePolygon() {
    double[] lons = {116.3, 116.45, 150};
    double[] lats = {40.0, 40.1};
    boolean[][] inside = {{true, false, true}, {true, true, true}};

    IssueGrid g =
        QUERIES.grid(issue(), lons, lats, inside, ValidTimes.parse("2016-02-05T17:00:00Z"));

    assertThat(g.times()).containsExactly(Instant.parse("2016-02-05T17:00:00Z"));
    assertThat(g.values().keySet()).containsExactly("mean", "q05", "q50", "q95", "p_exceed");
    double[][] q50 = g.values().get("q50")[0];
    assertThat(q50[0][0]).isCloseTo(values(116.3, 40.0, 2)[3], within(1e-9));
    assertThat(q50[1][1]).isCloseTo(values(116.45, 40.1, 2)[3], within(1e-9));
    assertThat(q50[0][1]).as("outside the polygon").isNaN();
    assertThat(q50[0][2]).as("outside the domain").isNaN();
  }

  @Test
  void interpolatedQuantilesStayOrdered() {
    IssuePosition p = QUERIES.position(issue(), 116.333, 40.011, ValidTimes.ALL);
    for (int h = 0; h < p.times().size(); h++) {
      double previous = Double.NEGATIVE_INFINITY;
      for (String q : List.of("q025", "q05", "q25", "q50", "q75", "q95", "q975")) {
        assertThat(p.series().get(q)[h]).isGreaterThanOrEqualTo(previous);
        previous = p.series().get(q)[h];
      }
    }
  }
}
