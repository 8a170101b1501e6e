package io.terrafield.forecasting.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.forecasting.FieldConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay scores the field alone at the stations beside the served station forecasts, on the
 * same issues and observations, without changing what is served.
 */
class ReplayVerificationTest {

  @Test
  void theFieldAtTheStationsIsScoredOnTheSameObservationsAndTheServedScoresDoNotChange(
      @TempDir Path dir) {
    ReplayVerification.Options options =
        new ReplayVerification.Options(
            ForecastPipelineArtifactTest.hourly(30 * 24 + 24 + 72),
            LocalDate.of(2020, 1, 31),
            1,
            30,
            dir.resolve("cglubnf-test.field"),
            FieldConfig.cglubnf().withSizes(2, 8, 1),
            ForecastPipelineArtifactTest.SETTINGS);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    ReplayVerification.run(options, quiet, Clock.systemUTC()); // fits and saves the field

    ServedVerification alone = ReplayVerification.run(options, quiet, Clock.systemUTC());
    ServedVerification field = new ServedVerification();
    ServedVerification beside =
        ReplayVerification.run(options, quiet, Clock.systemUTC(), null, field);

    assertThat(beside.bands()).isEqualTo(alone.bands());
    for (int b = 0; b < field.bands().size(); b++) {
      ServedVerification.Band f = field.bands().get(b);
      assertThat(f.n()).as(f.label()).isPositive().isEqualTo(beside.bands().get(b).n());
      assertThat(f.served().crps()).as(f.label()).isFinite().isPositive();
    }
    assertThat(ReplayVerification.tableWithoutReference(field))
        .startsWith("| lead | n | PICP90 | PICP95 | MPIW95 | CRPS |\n")
        .contains("| 1 h | 48 |");
  }
}
