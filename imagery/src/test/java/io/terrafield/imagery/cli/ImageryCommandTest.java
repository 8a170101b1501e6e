package io.terrafield.imagery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI end to end: the Nigerian wealth map at the Nigeria DHS clusters, and bad input. */
class ImageryCommandTest {

  @TempDir Path tmp;

  record Result(int status, String out, String err) {}

  static Result run(String... args) {
    CommandLine line = ImageryCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int status = line.execute(args);
    return new Result(status, out.toString(), err.toString());
  }

  static Path data(String first, String... more) {
    String property = System.getProperty("terrafield.data");
    Path root = property != null ? Path.of(property) : Path.of("..", "shared", "data");
    Path path = root.resolve(Path.of(first, more));
    if (!Files.exists(path)) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("shared data file not found: " + path + " (required in CI)");
      }
      Assumptions.abort("shared data file not found: " + path + "; skipping");
    }
    return path;
  }

  @Test
  void samplesTheNigerianWealthMapAtTheNigeriaDhsClusters() throws Exception {
    Path out = tmp.resolve("nigeria.csv");
    Result r =
        run(
            "sample",
            "--raster",
            data("imagery", "nigeria_wealth_pred_2012_2014.tif").toString(),
            "--points",
            data("causal", "dhs_clusters.csv").toString(),
            "--where",
            "country=nigeria",
            "--buffer-m",
            "5000",
            "--out",
            out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("sampled 1450 points").contains("EPSG:3857");
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(1451);
    assertThat(lines.get(0))
        .isEqualTo(
            "country,year,lat,lon,wealthpooled,households,urban_rural,"
                + "wealthpooled_pred_mean_mean,wealthpooled_pred_mean_std,"
                + "wealthpooled_pred_mean_min,wealthpooled_pred_mean_max,wealthpooled_pred_mean_n");
    // The map predicts the surveyed wealth: strong correlation at the clusters.
    double[] truth = new double[1450];
    double[] predicted = new double[1450];
    for (int i = 1; i <= 1450; i++) {
      String[] cells = lines.get(i).split(",", -1);
      assertThat(cells[0]).isEqualTo("nigeria");
      truth[i - 1] = Double.parseDouble(cells[4]);
      predicted[i - 1] = Double.parseDouble(cells[7]);
    }
    assertThat(correlation(truth, predicted)).isGreaterThan(0.6);
  }

  @Test
  void nearestAndBilinearSamplingWithoutBuffer() throws Exception {
    Path points =
        Files.writeString(
            tmp.resolve("p.csv"), "name,lon,lat\neverest,86.925,27.988\ntrench,142.2,11.35\n");
    Path out = tmp.resolve("o.csv");
    String etopo = data("imagery", "etopo20_global_elevation_20arcmin.tif").toString();
    Result r =
        run("sample", "--raster", etopo, "--points", points.toString(), "--out", out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    List<String> lines = Files.readAllLines(out);
    assertThat(lines.get(0)).isEqualTo("name,lon,lat,band_1");
    assertThat(Double.parseDouble(lines.get(1).split(",")[3])).isGreaterThan(4800);
    assertThat(Double.parseDouble(lines.get(2).split(",")[3])).isLessThan(-7000);
    Result bilinear =
        run(
            "sample",
            "--raster",
            etopo,
            "--points",
            points.toString(),
            "--method",
            "bilinear",
            "--out",
            out.toString());
    assertThat(bilinear.status()).isZero();
  }

  @Test
  void badInputGivesAnErrorLineAndStatus2() throws Exception {
    String wealth = data("imagery", "nigeria_wealth_pred_2012_2014.tif").toString();
    Path points = Files.writeString(tmp.resolve("p.csv"), "lon,lat\n3.4,6.5\n120,40\n");
    Path out = tmp.resolve("o.csv");
    Path notTiff = Files.writeString(tmp.resolve("x.tif"), "hello");

    Result missing =
        run(
            "sample",
            "--raster",
            tmp.resolve("none.tif").toString(),
            "--points",
            points.toString(),
            "--out",
            out.toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err())
        .startsWith("error: ")
        .contains("none.tif")
        .contains("NOT_FOUND")
        .doesNotContain("\tat ");

    Result wrongType =
        run(
            "sample",
            "--raster",
            notTiff.toString(),
            "--points",
            points.toString(),
            "--out",
            out.toString());
    assertThat(wrongType.status()).isEqualTo(2);
    assertThat(wrongType.err()).contains("NOT_TIFF");

    Result outside =
        run(
            "sample",
            "--raster",
            wealth,
            "--points",
            points.toString(),
            "--strict",
            "--out",
            out.toString());
    assertThat(outside.status()).isEqualTo(2);
    assertThat(outside.err())
        .startsWith("error: point row 3 (lon 120.0, lat 40.0) is outside the raster");

    Result lenient =
        run("sample", "--raster", wealth, "--points", points.toString(), "--out", out.toString());
    assertThat(lenient.status()).isZero();
    assertThat(lenient.out()).contains("outside the raster: 1");

    Result method =
        run(
            "sample",
            "--raster",
            wealth,
            "--points",
            points.toString(),
            "--method",
            "cubic",
            "--out",
            out.toString());
    assertThat(method.status()).isEqualTo(2);
    assertThat(method.err()).contains("--method").contains("cubic");

    Path noLat = Files.writeString(tmp.resolve("nolat.csv"), "lon,latitude_typo\n1,2\n");
    Result header =
        run("sample", "--raster", wealth, "--points", noLat.toString(), "--out", out.toString());
    assertThat(header.status()).isEqualTo(2);
    assertThat(header.err()).contains("no lat column");

    Path badNumber = Files.writeString(tmp.resolve("bad.csv"), "lon,lat\n3.4,north\n");
    Result number =
        run(
            "sample",
            "--raster",
            wealth,
            "--points",
            badNumber.toString(),
            "--out",
            out.toString());
    assertThat(number.status()).isEqualTo(2);
    assertThat(number.err()).contains("line 2").contains("'north'");

    Result unknownOption = run("sample", "--raster", wealth, "--bogus");
    assertThat(unknownOption.status()).isEqualTo(2);
    assertThat(unknownOption.err()).startsWith("error: ");
  }

  @Test
  void infoPrintsCrsSizeAndBands() throws Exception {
    Result r = run("info", data("imagery", "landsat7_olinda_L7_ETMs.tif").toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("EPSG:31985")
        .contains("349 x 352, 6 band(s), Byte")
        .contains("mean=79.148");
  }

  static double correlation(double[] x, double[] y) {
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i] / x.length;
      my += y[i] / y.length;
    }
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
