package io.terrafield.forecasting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

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
}
