package io.terrafield.forecasting.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end: a small synthetic data set in the Germany layout through {@code evaluate}. */
class ForecastCommandTest {
  private static Path writeGermanyLayout(Path dir) throws Exception {
    StringBuilder stations =
        new StringBuilder(
            "\"station_id\",\"name\",\"lon\",\"lat\",\"altitude_m\",\"start_date\",\"end_date\","
                + "\"type_of_area\",\"rural_subcategory\",\"state_nuts1\",\"state_match\","
                + "\"n_days_observed\"\n");
    StringBuilder values = new StringBuilder("\"station_id\",\"date\",\"pm10_ugm3\"\n");
    SplittableRandom random = new SplittableRandom(1);
    for (int s = 0; s < 6; s++) {
      String id = "DE" + s;
      stations.append(
          String.format(
              java.util.Locale.ROOT,
              "\"%s\",\"name, with comma\",%.3f,%.3f,10,\"2005-01-01\",\"\",\"rural\",,\"X\",\"within\",1%n",
              id,
              8 + 0.7 * s,
              50 + 0.3 * (s % 3)));
      double ar = 0;
      for (LocalDate d = LocalDate.of(2005, 1, 1); d.getYear() < 2007; d = d.plusDays(1)) {
        ar = 0.6 * ar + 0.3 * (random.nextDouble() - 0.5) * 2;
        double y = Math.exp(3 + 0.4 * Math.cos(2 * Math.PI * d.getDayOfYear() / 365.25) + ar);
        boolean missing = random.nextDouble() < 0.2;
        values
            .append('"')
            .append(id)
            .append("\",\"")
            .append(d)
            .append("\",")
            .append(missing ? "" : String.format(java.util.Locale.ROOT, "%.1f", y))
            .append('\n');
      }
    }
    Files.writeString(dir.resolve("stations.csv"), stations);
    Files.writeString(dir.resolve("pm10_daily_2005_2006.csv"), values);
    return dir;
  }

  @Test
  void evaluateWritesTheReportContract(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("germany"));
    writeGermanyLayout(data);
    Path out = dir.resolve("out/report.json");
    int status =
        ForecastCommand.execute(
            "evaluate",
            "--dataset",
            "germany",
            "--data",
            data.toString(),
            "--target",
            "pm10_ugm3",
            "--test-from",
            "2006-10-01",
            "--horizons",
            "1,2,7",
            "--missing",
            "random:0.3",
            "--members",
            "2",
            "--width",
            "16",
            "--epochs",
            "2",
            "--out",
            out.toString());
    assertThat(status).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toFile());
    assertThat(report.get("dataset").asText()).isEqualTo("germany");
    assertThat(report.get("test_from").asText()).isEqualTo("2006-10-01");
    assertThat(report.get("missing").asText()).isEqualTo("random:0.3");
    for (String model :
        new String[] {"cglubnf", "bayesnf", "persistence", "seasonal-naive", "climatology"}) {
      JsonNode m = report.get("models").get(model);
      assertThat(m).as(model).isNotNull();
      for (String key :
          new String[] {"crps", "rmse", "mae", "picp90", "picp95", "mpiw95", "train_seconds"}) {
        assertThat(m.get(key).isNumber()).as(model + "." + key).isTrue();
      }
      assertThat(m.get("by_horizon").get("7").get("picp95").asDouble()).isBetween(0.0, 1.0);
      assertThat(m.get("crps").asDouble()).isPositive();
    }
    assertThat(dir.resolve("out/report.md")).exists();
    assertThat(dir.resolve("out/report-reliability.png")).exists();
    assertThat(dir.resolve("out/report-pit.png")).exists();
    assertThat(dir.resolve("out/report-fan.png")).exists();
  }

  @Test
  void badInputPrintsErrorAndExitsTwo(@TempDir Path dir) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int status;
    try {
      status =
          ForecastCommand.execute(
              "evaluate",
              "--dataset",
              "germany",
              "--data",
              dir.toString(),
              "--target",
              "pm10_ugm3",
              "--test-from",
              "2007-01-01",
              "--missing",
              "gaps:0.3",
              "--out",
              dir.resolve("r.json").toString());
    } finally {
      System.setErr(original);
    }
    assertThat(status).isEqualTo(2);
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith("error: missing:").contains("gaps:0.3").doesNotContain("Exception");
  }

  @Test
  void replayVerifyOutsideTheDataNamesTheDates(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("stations.csv"), "station,lon,lat\nA,116.4,39.9\n");
    StringBuilder rows = new StringBuilder("No,year,month,day,hour,PM2.5,station\n");
    for (int h = 0; h < 48; h++) {
      rows.append(h + 1).append(",2016,1,").append(1 + h / 24).append(',').append(h % 24);
      rows.append(',').append(40 + h).append(",A\n");
    }
    Files.writeString(dir.resolve("PRSA_Data_A_20160101-20160102.csv"), rows);
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int status;
    try {
      status =
          ForecastCommand.execute(
              "replay-verify",
              "--data",
              dir.toString(),
              "--field",
              dir.resolve("f.field").toString(),
              "--from",
              "2016-01-02",
              "--days",
              "1",
              "--history-days",
              "30");
    } finally {
      System.setErr(original);
    }
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("error: from: the data (2016-01-01T00:00 .. 2016-01-02T23:00) do not cover")
        .doesNotContain("Exception");
    assertThat(dir.resolve("f.field")).doesNotExist();
  }
}
