package io.terrafield.forecasting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AirQualityDatasetsTest {
  @Test
  void readsBeijingHourlyGrid() {
    Path dir = SharedData.root().resolve("airquality/beijing");
    SpaceTimeSeries series = AirQualityDatasets.read("beijing", dir, "PM2.5");
    assertThat(series.stations()).hasSize(12);
    assertThat(series.length()).isEqualTo(26304);
    assertThat(series.start()).isEqualTo(LocalDateTime.of(2013, 3, 1, 0, 0));
    assertThat(series.hourly()).isTrue();
    int aoti = series.stations().stream().map(Station::id).toList().indexOf("Aotizhongxin");
    assertThat(series.values()[aoti][0]).isEqualTo(4.0);
    assertThat(series.values()[aoti][1]).isEqualTo(8.0);
  }

  @Test
  void readsGermanyDailyGridWithMissingValues() {
    Path dir = SharedData.root().resolve("airquality/germany");
    SpaceTimeSeries series = AirQualityDatasets.read("germany", dir, "pm10_ugm3");
    assertThat(series.stations()).hasSize(70);
    assertThat(series.length()).isEqualTo(4018);
    assertThat(series.hourly()).isFalse();
    long missing = 0;
    for (double[] row : series.values()) {
      for (double v : row) {
        missing += Double.isNaN(v) ? 1 : 0;
      }
    }
    assertThat(missing).isGreaterThan(70L * 4018 / 3);
  }

  @Test
  void badInputNamesFieldAndValue() {
    Path dir = SharedData.root().resolve("airquality/germany");
    assertThatThrownBy(() -> AirQualityDatasets.read("germany", dir, "no2"))
        .isInstanceOf(ForecastingException.class)
        .hasMessageContaining("target: column 'no2'");
    assertThatThrownBy(() -> AirQualityDatasets.read("paris", dir, "pm10_ugm3"))
        .hasMessageContaining("dataset: expected beijing or germany, got 'paris'");
  }

  /** The field case forecast-sentinel (issue 13): -999 sentinels are missing, not data. */
  @Test
  void readsGzipCompressedBeijingFilesAsThePlainOnes(@TempDir Path plain, @TempDir Path gz)
      throws Exception {
    Path dir = SharedData.root().resolve("airquality/beijing");
    Path source = dir.resolve("PRSA_Data_Dongsi_20130301-20160229.csv");
    java.util.List<String> lines = Files.readAllLines(source).subList(0, 200);
    for (Path target : new Path[] {plain, gz}) {
      Files.copy(dir.resolve("stations.csv"), target.resolve("stations.csv"));
    }
    Files.write(plain.resolve(source.getFileName()), lines);
    try (java.io.OutputStream out =
        new java.util.zip.GZIPOutputStream(
            Files.newOutputStream(gz.resolve(source.getFileName() + ".gz")))) {
      out.write(
          (String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    SpaceTimeSeries fromPlain = AirQualityDatasets.read("beijing", plain, "PM2.5");
    SpaceTimeSeries fromGzip = AirQualityDatasets.read("beijing", gz, "PM2.5");

    assertThat(fromGzip.length()).isEqualTo(199);
    assertThat(fromGzip.start()).isEqualTo(fromPlain.start());
    assertThat(fromGzip.values()).isDeepEqualTo(fromPlain.values());
  }

  @Test
  void sentinelValuesOutsideThePlausibleRangeAreMissingAndReported(@TempDir Path dir)
      throws Exception {
    for (String name : new String[] {"pm10_daily_2007.csv", "stations.csv"}) {
      try (InputStream in = getClass().getResourceAsStream("cases/forecast-sentinel/" + name)) {
        Files.copy(in, dir.resolve(name));
      }
    }

    AirQualityDatasets.Read read = AirQualityDatasets.readChecked("germany", dir, "pm10_ugm3");

    assertThat(read.implausible()).hasSize(14);
    AirQualityDatasets.Implausible first = read.implausible().get(0);
    assertThat(first.file()).isEqualTo(dir.resolve("pm10_daily_2007.csv"));
    assertThat(first.row()).isEqualTo(9);
    assertThat(first.column()).isEqualTo("pm10_ugm3");
    assertThat(first.value()).isEqualTo("-999");
    assertThat(first.toString())
        .endsWith(
            "pm10_daily_2007.csv row 9: pm10_ugm3 -999 is outside the plausible range [0, 3000];"
                + " read as missing");
    SpaceTimeSeries series = read.series();
    int station = series.stations().stream().map(Station::id).toList().indexOf("DETH026");
    int day = series.indexOf(LocalDateTime.of(2007, 11, 9, 0, 0));
    assertThat(series.values()[station][day]).isNaN();
    assertThat(series.values()[station][day - 1]).isNotNaN();
    for (double[] row : series.values()) {
      for (double v : row) {
        assertThat(Double.isNaN(v) || v >= 0).isTrue();
      }
    }
  }

  @Test
  void plausibleRangesFollowTheColumnName() {
    assertThat(AirQualityDatasets.plausibleRange("pm10_ugm3")).containsExactly(0, 3000);
    assertThat(AirQualityDatasets.plausibleRange("PM2.5")).containsExactly(0, 2000);
    assertThat(AirQualityDatasets.plausibleRange("TEMP")).containsExactly(-60, 60);
    assertThat(AirQualityDatasets.plausibleRange("station_id")).isNull();
  }
}
