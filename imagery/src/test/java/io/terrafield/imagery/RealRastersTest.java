package io.terrafield.imagery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every GeoTIFF of the shared data against the figures of the data README and the issue. */
class RealRastersTest {

  static Stream<Arguments> rasters() {
    return Stream.of(
        Arguments.of("landsat7_olinda_L7_ETMs.tif", "EPSG:31985", 349, 352, 6, "Byte", 28.5),
        Arguments.of(
            "landsat8_marburg_20130707_B1-7_B10_B11.tif", "EPSG:32632", 41, 41, 9, "Int16", 30.0),
        Arguments.of("landsat7_rgb_byte_utm18n.tif", "EPSG:32618", 791, 718, 3, "Byte", 300.0),
        Arguments.of(
            "etopo20_global_elevation_20arcmin.tif", "EPSG:4326", 1080, 540, 1, "Int16", 1 / 3.0),
        Arguments.of(
            "nigeria_wealth_pred_2012_2014.tif", "EPSG:3857", 176, 143, 1, "Float32", 7650.0),
        Arguments.of("nigeria_population.tif", "EPSG:3857", 176, 143, 1, "Float32", 7650.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rasters")
  void metadataMatchesTheDataReadme(
      String file, String epsg, int width, int height, int bands, String type, double pixel)
      throws Exception {
    GeoRaster raster = Rasters.open(TestData.imagery(file));
    RasterInfo info = raster.info();
    assertThat(info.crsCode()).isEqualTo(epsg);
    assertThat(info.width()).isEqualTo(width);
    assertThat(info.height()).isEqualTo(height);
    assertThat(info.bandCount()).isEqualTo(bands);
    assertThat(info.dataType()).isEqualTo(type);
    assertThat(info.pixelSizeX()).isCloseTo(pixel, within(pixel * 0.001));
    assertThat(info.pixelSizeY()).isCloseTo(pixel, within(pixel * 0.001));
    assertThat(info.maxX() - info.minX())
        .isCloseTo(width * info.pixelSizeX(), within(1e-6 * width * pixel));
  }

  @Test
  void olindaBandMeansMatchIndependentFigures() throws Exception {
    GeoRaster raster = Rasters.open(TestData.imagery("landsat7_olinda_L7_ETMs.tif"));
    double[] expected = {79.148, 67.575, 64.359, 59.235, 83.183, 59.975};
    for (int b = 0; b < 6; b++) {
      assertThat(mean(raster.bandValues(b)))
          .as("band %d", b + 1)
          .isCloseTo(expected[b], within(5e-4));
    }
  }

  @Test
  void rgbSceneNodataZeroBecomesNaN() throws Exception {
    GeoRaster raster = Rasters.open(TestData.imagery("landsat7_rgb_byte_utm18n.tif"));
    assertThat(raster.info().noData()).containsExactly(0.0, 0.0, 0.0);
    assertThat(raster.info().bandNames()).containsExactly("Red", "Green", "Blue");
    float[] red = raster.bandValues(0);
    long nan = 0;
    for (float v : red) {
      if (Float.isNaN(v)) {
        nan++;
      } else {
        assertThat(v).isGreaterThan(0f);
      }
    }
    // The scene is a rotated footprint in a rectangular frame: about a third of it is fill.
    assertThat(nan).isEqualTo(791L * 718 - 382776);
    assertThat(raster.value(0, 0, 0)).isNaN();
  }

  @Test
  void etopoGivesEverestAndTheMarianaTrench() throws Exception {
    GeoRaster etopo = Rasters.open(TestData.imagery("etopo20_global_elevation_20arcmin.tif"));
    double everest = etopo.sample(0, 86.925, 27.988, SamplingMethod.NEAREST);
    double trench = etopo.sample(0, 142.2, 11.35, SamplingMethod.NEAREST);
    assertThat(everest).isBetween(4800.0, 6000.0);
    assertThat(trench).isLessThan(-7000.0);
    assertThat(etopo.sample(0, 86.925, 27.988, SamplingMethod.BILINEAR)).isBetween(4000.0, 6500.0);
  }

  @Test
  void nigeriaWealthMapReadsSidecarBandNameAndNaNNodata() throws Exception {
    GeoRaster wealth = Rasters.open(TestData.imagery("nigeria_wealth_pred_2012_2014.tif"));
    assertThat(wealth.info().bandNames()).containsExactly("wealthpooled_pred_mean");
    float[] v = wealth.bandValues(0);
    long valid = 0;
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (float x : v) {
      if (!Float.isNaN(x)) {
        valid++;
        sum += x;
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
    }
    // Statistics that GDAL wrote into the .aux.xml sidecar.
    assertThat(100.0 * valid / v.length).isCloseTo(65.46, within(0.01));
    assertThat(sum / valid).isCloseTo(-0.23836915215776, within(1e-6));
    assertThat(min).isCloseTo(-0.93905222415924, within(1e-6));
    assertThat(max).isCloseTo(1.9135868549347, within(1e-6));
    // Lagos, Nigeria is on the map.
    assertThat(wealth.contains(3.38, 6.52)).isTrue();
    assertThat(wealth.info().lonLatBounds().minLon()).isCloseTo(2.61, within(0.01));
  }

  @Test
  void windowReadReturnsTheSameValuesAsAFullRead() throws Exception {
    GeoRaster full = Rasters.open(TestData.imagery("etopo20_global_elevation_20arcmin.tif"));
    GeoRaster window =
        Rasters.open(
            TestData.imagery("etopo20_global_elevation_20arcmin.tif"),
            new LonLatBox(80, 20, 95, 35));
    assertThat(window.height()).isLessThan(full.height());
    for (double[] p : new double[][] {{86.925, 27.988}, {81.1, 21.2}, {94.2, 33.9}}) {
      assertThat(window.sample(0, p[0], p[1], SamplingMethod.NEAREST))
          .isEqualTo(full.sample(0, p[0], p[1], SamplingMethod.NEAREST));
    }
  }

  static double mean(float[] values) {
    double sum = 0;
    long n = 0;
    for (float v : values) {
      if (!Float.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    return sum / n;
  }
}
