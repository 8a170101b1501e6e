package io.terrafield.store.importers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.terrafield.store.Observation;
import io.terrafield.store.SharedData;
import io.terrafield.store.Station;
import io.terrafield.store.Variable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exact values from the real German AirBase files in shared/data/airquality/germany. */
class GermanyImporterTest {

  private GermanyImporter importer;

  @BeforeEach
  void locateData() {
    importer = new GermanyImporter(SharedData.require("airquality/germany"));
  }

  @Test
  void readsSeventyStationsWithAltitudeAndMetadata() {
    List<Station> stations = importer.stations();

    assertThat(stations).hasSize(70);
    Station altesLand = stations.stream().filter(s -> s.id().equals("DENI063")).findFirst().get();
    assertThat(altesLand.name()).isEqualTo("Altes Land");
    assertThat(altesLand.lon()).isEqualTo(9.68503);
    assertThat(altesLand.lat()).isEqualTo(53.52418);
    assertThat(altesLand.altitudeM()).isEqualTo(3.0);
    assertThat(altesLand.network()).isEqualTo("germany");
    assertThat(altesLand.metadata())
        .containsEntry("start_date", "1999-02-11")
        .containsEntry("state_nuts1", "Niedersachsen")
        .containsEntry("n_days_observed", "3826")
        .doesNotContainKey("end_date");
    Station unnamed = stations.get(0);
    assertThat(unnamed.id()).isEqualTo("DESH001");
    assertThat(unnamed.name()).isEqualTo("DESH001");
    assertThat(unnamed.metadata()).doesNotContainKey("rural_subcategory");
  }

  @Test
  void readsDailyValuesAtMidnightUtcAndSkipsMissingDays() {
    List<Observation> all;
    try (Stream<Observation> rows = importer.observations()) {
      all = rows.toList();
    }

    assertThat(all).hasSize(135_675);
    assertThat(all.get(0))
        .isEqualTo(
            new Observation(
                "DESH001",
                Instant.parse("2000-01-01T00:00:00Z"),
                Map.of(Variable.PM10, 29.125),
                null,
                1));
    assertThat(all)
        .filteredOn(o -> o.stationId().equals("DENI063"))
        .filteredOn(o -> o.time().equals(Instant.parse("2008-12-31T00:00:00Z")))
        .singleElement()
        .satisfies(o -> assertThat(o.value(Variable.PM10)).isEqualTo(64.583));
  }

  @Test
  void timeFilterIsHalfOpen() {
    Instant from = Instant.parse("2005-06-10T00:00:00Z");
    Instant to = Instant.parse("2005-06-12T00:00:00Z");
    List<Observation> deni063;
    try (Stream<Observation> rows = importer.observations(from, to)) {
      deni063 = rows.filter(o -> o.stationId().equals("DENI063")).toList();
    }
    assertThat(deni063).extracting(o -> o.value(Variable.PM10)).containsExactly(21.833, 12.125);
  }

  @Test
  void malformedDateNamesFileLineColumnAndValue(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve(GermanyImporter.PM10_FILE),
        "\"station_id\",\"date\",\"pm10_ugm3\"\n\"DEX\",\"2000-01-01\",12\n\"DEX\",\"2000-13-01\",3\n");
    try (Stream<Observation> rows = new GermanyImporter(dir).observations()) {
      assertThatThrownBy(rows::toList)
          .isInstanceOf(ImportException.class)
          .hasMessage(
              "pm10_daily_1998_2008.csv line 3: column date: not a date (yyyy-MM-dd): '2000-13-01'");
    }
  }

  @Test
  void missingFileIsNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> new GermanyImporter(dir).stations())
        .isInstanceOf(ImportException.class)
        .hasMessageContaining("missing data file")
        .hasMessageContaining("stations.csv");
  }
}
