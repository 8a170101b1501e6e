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

/** Exact values from the real Beijing files in shared/data/airquality/beijing. */
class BeijingImporterTest {

  private BeijingImporter importer;

  @BeforeEach
  void locateData() {
    importer = new BeijingImporter(SharedData.require("airquality/beijing"));
  }

  @Test
  void readsTheTwelveStations() {
    List<Station> stations = importer.stations();

    assertThat(stations).hasSize(12);
    assertThat(stations.get(0))
        .isEqualTo(
            new Station(
                "Aotizhongxin",
                "Aotizhongxin",
                116.397,
                39.982,
                null,
                "beijing",
                Map.of("kdd2018_id", "aotizhongxin_aq")));
    assertThat(stations).extracting(Station::id).contains("Wanshouxigong", "Dingling");
  }

  @Test
  void firstRowIsConvertedFromLocalTimeToUtcWithAllVariables() {
    Observation first;
    try (Stream<Observation> rows = importer.observations("Aotizhongxin")) {
      first = rows.findFirst().orElseThrow();
    }
    // "1,2013,3,1,0,4,4,4,7,300,77,-0.7,1023,-18.8,0,"NNW",4.4,"Aotizhongxin"" at UTC+8
    assertThat(first.time()).isEqualTo(Instant.parse("2013-02-28T16:00:00Z"));
    assertThat(first.values())
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry(Variable.PM25, 4.0),
                Map.entry(Variable.PM10, 4.0),
                Map.entry(Variable.SO2, 4.0),
                Map.entry(Variable.NO2, 7.0),
                Map.entry(Variable.CO, 300.0),
                Map.entry(Variable.O3, 77.0),
                Map.entry(Variable.TEMP, -0.7),
                Map.entry(Variable.PRES, 1023.0),
                Map.entry(Variable.DEWP, -18.8),
                Map.entry(Variable.RAIN, 0.0),
                Map.entry(Variable.WSPM, 4.4)));
    assertThat(first.windDirection()).isEqualTo("NNW");
    assertThat(first.sampleCount()).isEqualTo(1);
  }

  @Test
  void countsRowsAndMissingValuesOfOneStation() {
    long rows;
    long missingPm25;
    long missingWind;
    try (Stream<Observation> all = importer.observations("Aotizhongxin")) {
      List<Observation> list = all.toList();
      rows = list.size();
      missingPm25 = list.stream().filter(o -> o.value(Variable.PM25) == null).count();
      missingWind = list.stream().filter(o -> o.windDirection() == null).count();
      assertThat(list.get(list.size() - 1).time()).isEqualTo(Instant.parse("2016-02-29T15:00:00Z"));
      assertThat(list.get(list.size() - 1).value(Variable.PM25)).isEqualTo(64.0);
    }
    assertThat(rows).isEqualTo(26_304);
    assertThat(missingPm25).isEqualTo(746);
    assertThat(missingWind).isEqualTo(10);
  }

  @Test
  void mergeByTimeInterleavesStationsInTimeThenIdOrder() {
    Instant from = Instant.parse("2014-01-01T00:00:00Z");
    Instant to = Instant.parse("2014-01-01T03:00:00Z");
    List<Observation> merged;
    try (Stream<Observation> rows = importer.observationsByTime(from, to)) {
      merged = rows.toList();
    }

    assertThat(merged).hasSize(3 * 12);
    assertThat(merged.subList(0, 12)).allMatch(o -> o.time().equals(from));
    assertThat(merged.subList(0, 12))
        .extracting(Observation::stationId)
        .isSorted()
        .startsWith("Aotizhongxin", "Changping");
    assertThat(merged.get(35).time()).isEqualTo(Instant.parse("2014-01-01T02:00:00Z"));
    assertThat(merged.get(35).stationId()).isEqualTo("Wanshouxigong");
  }

  @Test
  void fullMergeYieldsEveryRowInNonDecreasingTime() {
    long count = 0;
    long withPm25 = 0;
    Instant previous = Instant.MIN;
    try (Stream<Observation> rows = importer.observationsByTime(null, null)) {
      for (Observation o : (Iterable<Observation>) rows::iterator) {
        assertThat(o.time()).isAfterOrEqualTo(previous);
        previous = o.time();
        count++;
        if (o.value(Variable.PM25) != null) {
          withPm25++;
        }
      }
    }
    assertThat(count).isEqualTo(12 * 26_304);
    assertThat(withPm25).isEqualTo(309_276);
  }

  @Test
  void unknownStationNamesTheStationAndDirectory() {
    assertThatThrownBy(() -> importer.observations("Atlantis"))
        .isInstanceOf(ImportException.class)
        .hasMessageContaining("'Atlantis'")
        .hasMessageContaining("PRSA_Data_Atlantis_");
  }

  @Test
  void malformedValueNamesFileLineColumnAndValue(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("stations.csv"), "station,kdd2018_id,lon,lat\nX,x_aq,116.1,40.1\n");
    Files.writeString(
        dir.resolve("PRSA_Data_X_20130301-20160229.csv"),
        "\"No\",\"year\",\"month\",\"day\",\"hour\",\"PM2.5\",\"PM10\",\"SO2\",\"NO2\",\"CO\",\"O3\","
            + "\"TEMP\",\"PRES\",\"DEWP\",\"RAIN\",\"wd\",\"WSPM\",\"station\"\n"
            + "1,2013,3,1,0,4,4,4,7,300,77,-0.7,1023,-18.8,0,\"NNW\",4.4,\"X\"\n"
            + "2,2013,3,1,1,abc,4,4,7,300,77,-0.7,1023,-18.8,0,\"NNW\",4.4,\"X\"\n");
    BeijingImporter bad = new BeijingImporter(dir);

    try (Stream<Observation> rows = bad.observations("X")) {
      assertThatThrownBy(rows::toList)
          .isInstanceOf(ImportException.class)
          .hasMessage(
              "PRSA_Data_X_20130301-20160229.csv line 3: column PM2.5: not a number: 'abc'");
    }
  }
}
