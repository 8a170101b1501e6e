package io.terrafield.forecasting.serving;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.ForecastingException;
import io.terrafield.forecasting.SpaceTimeSeries;
import io.terrafield.forecasting.Station;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad model artifacts and bad arguments are refused by name, before any fit. */
class ForecastPipelineArtifactTest {
  static final ForecastPipeline.Settings SETTINGS =
      new ForecastPipeline.Settings(ZoneOffset.ofHours(8), 75, 72, 0);

  static SpaceTimeSeries hourly(int hours) {
    double[][] values = new double[2][hours];
    for (int t = 0; t < hours; t++) {
      values[0][t] = 40 + 10 * Math.sin(t / 4.0);
      values[1][t] = 60 + 10 * Math.cos(t / 5.0);
    }
    return new SpaceTimeSeries(
        "pm25",
        List.of(new Station("a", 116.4, 39.9), new Station("b", 116.5, 40.0)),
        LocalDateTime.of(2020, 1, 1, 0, 0),
        Duration.ofHours(1),
        values);
  }

  @Test
  void aCorruptArtifactIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cglubnf-x.field");
    Files.writeString(file, "not a field");
    assertThatThrownBy(
            () ->
                ForecastPipeline.prepare(
                    hourly(400),
                    300,
                    FieldConfig.cglubnf().withSizes(2, 8, 1),
                    file,
                    new PrintStream(OutputStream.nullOutputStream()),
                    SETTINGS,
                    "v",
                    Clock.systemUTC()))
        .isInstanceOf(ForecastingException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not a Terrafield neural field");
  }

  @Test
  void aTrainingWindowOutsideTheHistoryIsRefusedByName() {
    assertThatThrownBy(
            () ->
                ForecastPipeline.prepare(
                    hourly(100),
                    500,
                    FieldConfig.cglubnf().withSizes(2, 8, 1),
                    null,
                    new PrintStream(OutputStream.nullOutputStream()),
                    SETTINGS,
                    "v",
                    Clock.systemUTC()))
        .isInstanceOf(ForecastingException.class)
        .hasMessageStartingWith("fitEnd: 500");
  }

  @Test
  void settingsAreValidatedByName() {
    assertThatThrownBy(() -> new ForecastPipeline.Settings(ZoneOffset.UTC, -1, 72, 0))
        .hasMessageStartingWith("threshold:");
    assertThatThrownBy(() -> new ForecastPipeline.Settings(ZoneOffset.UTC, 75, 0, 0))
        .hasMessageStartingWith("horizons:");
  }
}
