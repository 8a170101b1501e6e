package io.terrafield.causal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.causal.TestData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EffectCommandTest {
  @TempDir Path dir;

  private record Run(int status, String err) {}

  private Run run(String... args) {
    CommandLine cmd = EffectCommand.commandLine();
    StringWriter err = new StringWriter();
    cmd.setErr(new PrintWriter(err));
    return new Run(cmd.execute(args), err.toString());
  }

  @Test
  void estimateWritesTheReportContract() throws Exception {
    Path units = dir.resolve("units.csv");
    StringBuilder csv = new StringBuilder("d,y,x,g\n");
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < 400; i++) {
      double x = random.nextGaussian();
      int d = random.nextDouble() < 1 / (1 + Math.exp(-x)) ? 1 : 0;
      csv.append(d).append(',').append(1.5 * d + x + random.nextGaussian()).append(',');
      csv.append(x).append(',').append(i % 20).append('\n');
    }
    Files.writeString(units, csv);
    Path out = dir.resolve("report.json");
    Run r =
        run(
            "estimate",
            "--units",
            units.toString(),
            "--treatment",
            "d",
            "--outcome",
            "y",
            "--covariates",
            "x",
            "--estimator",
            "dml",
            "--cluster",
            "g",
            "--out",
            out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toFile());
    for (String field :
        new String[] {
          "estimate",
          "se",
          "ci_low",
          "ci_high",
          "level",
          "estimand",
          "estimator",
          "correction",
          "n",
          "n_treated",
          "diagnostics"
        }) {
      assertThat(report.has(field)).as(field).isTrue();
    }
    assertThat(report.get("estimator").asText()).isEqualTo("dml");
    assertThat(report.get("diagnostics").get("uncertainty").get("method").asText())
        .isEqualTo("cluster");
  }

  /**
   * The data-driven refusals reach the CLI as the IPW-with-boosting refusal does: exit status 2 and
   * the reason with the numbers on stderr (confounding through x and x², 600 units).
   */
  @Test
  void estimateRefusesUnbalancedDimAndMisfitLinearLearnersWithTheNumbers() throws Exception {
    Path units = dir.resolve("nonlinear.csv");
    StringBuilder csv = new StringBuilder("d,y,x\n");
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 600; i++) {
      double x = random.nextGaussian();
      double u = Math.min(x * x, 4) - 1;
      int d = random.nextDouble() < 1 / (1 + Math.exp(-0.8 * u - 0.5 * x)) ? 1 : 0;
      csv.append(d).append(',').append(d + 1.5 * u + random.nextGaussian()).append(',');
      csv.append(x).append('\n');
    }
    Files.writeString(units, csv);
    String[] base = {
      "estimate",
      "--units",
      units.toString(),
      "--treatment",
      "d",
      "--outcome",
      "y",
      "--covariates",
      "x",
      "--out",
      dir.resolve("r.json").toString(),
      "--estimator"
    };
    String[] dim = java.util.Arrays.copyOf(base, base.length + 1);
    dim[base.length] = "dim";
    Run refusedDim = run(dim);
    assertThat(refusedDim.status()).isEqualTo(2);
    assertThat(refusedDim.err()).contains("'dim' is refused").contains("covariates unbalanced");
    String[] aipw = java.util.Arrays.copyOf(base, base.length + 1);
    aipw[base.length] = "aipw";
    Run refusedAipw = run(aipw);
    assertThat(refusedAipw.status()).isEqualTo(2);
    assertThat(refusedAipw.err())
        .contains("'aipw' with learner 'linear' is refused")
        .contains("cubic basis")
        .contains("--learner boosting");
  }

  @Test
  void badInputPrintsErrorAndExitsTwo() throws Exception {
    Path units = dir.resolve("bad.csv");
    Files.writeString(units, "d,y\n0,1\n1,2\n2,3\n");
    Run r =
        run(
            "estimate",
            "--units",
            units.toString(),
            "--treatment",
            "d",
            "--outcome",
            "y",
            "--estimator",
            "dim",
            "--out",
            dir.resolve("r.json").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: treatment column 'd' row 3: value 2.0 is not binary");
    Run missing =
        run(
            "estimate",
            "--units",
            dir.resolve("nope.csv").toString(),
            "--treatment",
            "d",
            "--outcome",
            "y",
            "--out",
            dir.resolve("r.json").toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).startsWith("error: file not found");
  }

  @Test
  void spectralIndexConfoundersFromALandsatScene() throws Exception {
    Path scene = TestData.root().resolve("imagery/landsat7_olinda_L7_ETMs.tif");
    io.terrafield.imagery.LonLatBox box =
        io.terrafield.imagery.Rasters.open(scene).info().lonLatBounds();
    java.util.Random random = new java.util.Random(5);
    StringBuilder csv = new StringBuilder("lat,lon,d,y\n");
    for (int i = 0; i < 300; i++) {
      double lat = box.minLat() + (0.1 + 0.8 * random.nextDouble()) * (box.maxLat() - box.minLat());
      double lon = box.minLon() + (0.1 + 0.8 * random.nextDouble()) * (box.maxLon() - box.minLon());
      int d = random.nextInt(2);
      csv.append(lat).append(',').append(lon).append(',').append(d).append(',');
      csv.append(d + random.nextGaussian()).append('\n');
    }
    Path units = dir.resolve("olinda.csv");
    Files.writeString(units, csv);
    Path out = dir.resolve("olinda.json");
    Run r =
        run(
            "estimate",
            "--units",
            units.toString(),
            "--treatment",
            "d",
            "--outcome",
            "y",
            "--spectral-index",
            "ndvi=" + scene,
            "--band-map",
            "landsat7",
            "--buffer-m",
            "100",
            "--estimator",
            "ipw",
            "--out",
            out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toFile());
    assertThat(report.get("covariates").toString())
        .contains("ndvi")
        .contains("ndvi_buffer_mean")
        .contains("ndvi_buffer_sd");
  }

  @Test
  void nigeriaWealthMapEndToEndAndRasterCoverage() throws Exception {
    Path data = TestData.root();
    Path clusters = data.resolve("causal/dhs_clusters.csv");
    Path map = data.resolve("imagery/nigeria_wealth_pred_2012_2014.tif");
    Path population = data.resolve("imagery/nigeria_population.tif");
    Path out = dir.resolve("nigeria.json");
    Run r =
        run(
            "estimate",
            "--units",
            clusters.toString(),
            "--where",
            "country=nigeria",
            "--treatment",
            "urban_rural",
            "--outcome",
            "wealth_map",
            "--outcome-raster",
            map.toString(),
            "--confounder-raster",
            "population=" + population,
            "--buffer-m",
            "10000",
            "--log-confounders",
            "--estimand",
            "att",
            "--estimator",
            "aipw",
            "--correction",
            "lcc",
            "--calibration",
            clusters.toString(),
            "--calibration-where",
            "country=nigeria",
            "--calibration-prediction",
            "wealth_map",
            "--calibration-label",
            "wealthpooled",
            "--resolution-factors",
            "4",
            "--calibration-reps",
            "50",
            "--out",
            out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toFile());
    assertThat(report.get("n").asInt()).isEqualTo(1450);
    assertThat(report.get("diagnostics").get("calibration").get("slope").asDouble())
        .isBetween(0.3, 0.9);
    assertThat(report.get("diagnostics").get("balance")).hasSize(3);
    assertThat(report.get("resolution_sensitivity")).hasSize(2);

    Run outside =
        run(
            "estimate",
            "--units",
            clusters.toString(),
            "--where",
            "country=kenya",
            "--treatment",
            "urban_rural",
            "--outcome",
            "wealthpooled",
            "--confounder-raster",
            "population=" + population,
            "--out",
            dir.resolve("k.json").toString());
    assertThat(outside.status()).isEqualTo(2);
    assertThat(outside.err()).contains("raster 'population'").contains("does not cover");
  }

  @Test
  void trialsRejectsBadOptionsWithoutAStackTrace() {
    Run share = run("trials", "--data", dir.toString(), "--in-country-share", "1.5");
    assertThat(share.status()).isEqualTo(2);
    assertThat(share.err())
        .startsWith("error: --in-country-share must lie strictly between 0 and 1, got 1.5")
        .doesNotContain("Exception");
    Run design = run("trials", "--data", dir.toString(), "--plot-design", "pooled");
    assertThat(design.status()).isEqualTo(2);
    assertThat(design.err()).startsWith("error: --plot-design must be ooc-pooled");
    Run data = run("trials", "--data", dir.toString());
    assertThat(data.status()).isEqualTo(2);
    assertThat(data.err()).contains("has no dhs_wealth_predictions_ooc.csv");
  }
}
