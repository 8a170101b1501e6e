package io.terrafield.store.importers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.terrafield.store.Observation;
import io.terrafield.store.SharedData;
import io.terrafield.store.Station;
import io.terrafield.store.Variable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact values from the real Beijing files in shared/data/airquality/beijing, and the
 * gzip-compressed slice of them in the project's demo-data.
 */
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
  void spanIsTheFirstAndLastHourOverAllStations() {
    assertThat(importer.span())
        .isEqualTo(
            new BeijingImporter.Span(
                Instant.parse("2013-02-28T16:00:00Z"), Instant.parse("2016-02-29T15:00:00Z")));
  }

  @Test
  void compressedDemoSliceHoldsExactlyTheSharedRowsOf2015To2016() {
    BeijingImporter demo = new BeijingImporter(Path.of("../demo-data/airquality/beijing"));
    Instant from = Instant.parse("2014-12-31T16:00:00Z"); // 2015-01-01 00:00 +08
    assertThat(demo.span())
        .isEqualTo(new BeijingImporter.Span(from, Instant.parse("2016-02-29T15:00:00Z")));
    List<Observation> compressed;
    List<Observation> plain;
    try (Stream<Observation> rows = demo.observationsByTime(null, null)) {
      compressed = rows.toList();
    }
    try (Stream<Observation> rows = importer.observationsByTime(from, null)) {
      plain = rows.toList();
    }
    // 425 days (2015-01-01 .. 2016-02-29) x 24 h x 12 stations
    assertThat(compressed).hasSize(425 * 24 * 12).isEqualTo(plain);
  }

  @Test
  void readsAGzipCompressedStationFileLikeAPlainOne(@TempDir Path dir) throws IOException {
    String header =
        "\"No\",\"year\",\"month\",\"day\",\"hour\",\"PM2.5\",\"PM10\",\"SO2\",\"NO2\",\"CO\","
            + "\"O3\",\"TEMP\",\"PRES\",\"DEWP\",\"RAIN\",\"wd\",\"WSPM\",\"station\"\n";
    String rows =
        "1,2015,1,1,0,3,14,15,29,600,33,-7,1026,-23.8,0,\"ENE\",0.9,\"X\"\n"
            + "2,2015,1,1,1,NA,9,15,29,600,33,-7,1026,-23.8,0,NA,0.9,\"X\"\n";
    Path plainDir = Files.createDirectories(dir.resolve("plain"));
    Path gzipDir = Files.createDirectories(dir.resolve("gzip"));
    for (Path d : List.of(plainDir, gzipDir)) {
      Files.writeString(
          d.resolve("stations.csv"), "station,kdd2018_id,lon,lat\nX,x_aq,116.1,40.1\n");
    }
    Files.writeString(plainDir.resolve("PRSA_Data_X_20130301-20160229.csv"), header + rows);
    gzip(gzipDir.resolve("PRSA_Data_X_20130301-20160229.csv.gz"), header + rows);

    List<Observation> fromGzip;
    try (Stream<Observation> s = new BeijingImporter(gzipDir).observations("X")) {
      fromGzip = s.toList();
    }
    List<Observation> fromPlain;
    try (Stream<Observation> s = new BeijingImporter(plainDir).observations("X")) {
      fromPlain = s.toList();
    }

    assertThat(fromGzip).hasSize(2).isEqualTo(fromPlain);
    assertThat(fromGzip.get(0).time()).isEqualTo(Instant.parse("2014-12-31T16:00:00Z"));
    assertThat(fromGzip.get(0).value(Variable.PM25)).isEqualTo(3.0);
    assertThat(fromGzip.get(1).value(Variable.PM25)).isNull();
    assertThat(fromGzip.get(1).windDirection()).isNull();
  }

  @Test
  void aPlainAndAGzipFileOfOneStationAreAmbiguous(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("stations.csv"), "station,kdd2018_id,lon,lat\nX,x_aq,116.1,40.1\n");
    Files.writeString(dir.resolve("PRSA_Data_X_20130301-20160229.csv"), "No\n");
    gzip(dir.resolve("PRSA_Data_X_20130301-20160229.csv.gz"), "No\n");

    assertThatThrownBy(() -> new BeijingImporter(dir).observations("X"))
        .isInstanceOf(ImportException.class)
        .hasMessageContaining("for station 'X'")
        .hasMessageContaining(
            "found 2: [PRSA_Data_X_20130301-20160229.csv, PRSA_Data_X_20130301-20160229.csv.gz]");
  }

  @Test
  void aFileNamedGzThatIsNotGzipNamesTheFile(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("stations.csv"), "station,kdd2018_id,lon,lat\nX,x_aq,116.1,40.1\n");
    Files.writeString(dir.resolve("PRSA_Data_X_20130301-20160229.csv.gz"), "No,year\n");

    assertThatThrownBy(() -> new BeijingImporter(dir).observations("X"))
        .isInstanceOf(ImportException.class)
        .hasMessageContaining("cannot read ")
        .hasMessageContaining("PRSA_Data_X_20130301-20160229.csv.gz: not a gzip file");
  }

  private static void gzip(Path file, String text) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
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
