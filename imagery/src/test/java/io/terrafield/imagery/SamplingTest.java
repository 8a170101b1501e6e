package io.terrafield.imagery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.apache.sis.referencing.CRS;
import org.apache.sis.referencing.CommonCRS;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opengis.referencing.operation.MathTransform;

/** Nearest and bilinear sampling against a synthetic raster whose values are a linear function. */
class SamplingTest {

  /** value(col, row) = 2 col + 3 row + 1, so bilinear interpolation is exact. */
  static GeoRaster linearRaster(GridSpec grid) {
    float[] values = new float[grid.width() * grid.height()];
    for (int row = 0; row < grid.height(); row++) {
      for (int col = 0; col < grid.width(); col++) {
        values[row * grid.width() + col] = 2 * col + 3 * row + 1;
      }
    }
    return GeoRaster.create(grid, List.of("linear"), new float[][] {values});
  }

  /** WGS84 lon/lat of fractional pixel-centre coordinates (col, row). */
  static double[][] lonLatOf(GeoRaster raster, double[] cols, double[] rows) throws Exception {
    double[] a = raster.gridToCrs();
    double[] pts = new double[2 * cols.length];
    for (int i = 0; i < cols.length; i++) {
      pts[2 * i] = a[0] + a[1] * cols[i] + a[2] * rows[i];
      pts[2 * i + 1] = a[3] + a[4] * cols[i] + a[5] * rows[i];
    }
    MathTransform toLonLat =
        CRS.findOperation(raster.crs(), CommonCRS.WGS84.normalizedGeographic(), null)
            .getMathTransform();
    toLonLat.transform(pts, 0, pts, 0, cols.length);
    double[] lons = new double[cols.length];
    double[] lats = new double[cols.length];
    for (int i = 0; i < cols.length; i++) {
      lons[i] = pts[2 * i];
      lats[i] = pts[2 * i + 1];
    }
    return new double[][] {lons, lats};
  }

  static GridSpec gridFor(String code) {
    return switch (code) {
      case "EPSG:32632" -> new GridSpec(code, 480000, 5630000, 30, 30, 200, 150);
      case "EPSG:3857" -> new GridSpec(code, 290700, 1568250, 7650, 7650, 176, 143);
      case "EPSG:4326" -> new GridSpec(code, 2.0, 14.0, 0.05, 0.05, 240, 200);
      default -> throw new IllegalArgumentException(code);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"EPSG:32632", "EPSG:3857", "EPSG:4326"})
  void nearestAndBilinearRecoverTheLinearField(String code) throws Exception {
    GeoRaster raster = linearRaster(gridFor(code));
    Random random = new Random(42);
    int n = 2000;
    double[] cols = new double[n];
    double[] rows = new double[n];
    for (int i = 0; i < n; i++) {
      cols[i] = random.nextDouble() * (raster.width() - 1);
      rows[i] = random.nextDouble() * (raster.height() - 1);
    }
    double[][] ll = lonLatOf(raster, cols, rows);
    double[] nearest = raster.sample(0, ll[0], ll[1], SamplingMethod.NEAREST);
    double[] bilinear = raster.sample(0, ll[0], ll[1], SamplingMethod.BILINEAR);
    for (int i = 0; i < n; i++) {
      double exact = 2 * cols[i] + 3 * rows[i] + 1;
      assertThat(bilinear[i]).isCloseTo(exact, within(1e-4));
      double expectedNearest = 2 * Math.round(cols[i]) + 3 * Math.round(rows[i]) + 1;
      if (Math.abs(cols[i] % 1 - 0.5) > 1e-6 && Math.abs(rows[i] % 1 - 0.5) > 1e-6) {
        assertThat(nearest[i]).isEqualTo(expectedNearest);
      }
    }
  }

  @Test
  void pointsOutsideAreNaNAndRequireInsideNamesThePoint() {
    GeoRaster raster = linearRaster(gridFor("EPSG:4326"));
    assertThat(raster.sample(0, 50.0, 10.0, SamplingMethod.NEAREST)).isNaN();
    assertThat(raster.sample(0, 50.0, 10.0, SamplingMethod.BILINEAR)).isNaN();
    assertThat(raster.sample(0, Double.NaN, 10.0, SamplingMethod.NEAREST)).isNaN();
    assertThatThrownBy(() -> raster.requireInside("cluster-7", 50.0, 10.0))
        .isInstanceOf(PointOutsideRasterException.class)
        .hasMessageContaining("cluster-7")
        .hasMessageContaining("lon 50.0");
  }

  @Test
  void bilinearSkipsNodataNeighbours() {
    GridSpec grid = new GridSpec("EPSG:4326", 0, 2, 1, 1, 2, 2);
    float[] values = {10, Float.NaN, 20, 30};
    GeoRaster raster = GeoRaster.create(grid, List.of("v"), new float[][] {values});
    // Centre of the four pixels: mean of the three valid ones.
    assertThat(raster.sample(0, 1.0, 1.0, SamplingMethod.BILINEAR)).isCloseTo(20.0, within(1e-9));
    assertThat(raster.sample(0, 1.5, 1.5, SamplingMethod.NEAREST)).isNaN();
  }

  @Test
  void globalGeographicRasterWrapsAroundTheAntimeridian() {
    GridSpec grid = new GridSpec("EPSG:4326", -180, 90, 1, 1, 360, 180);
    float[] values = new float[360 * 180];
    for (int i = 0; i < values.length; i++) {
      values[i] = i % 360;
    }
    GeoRaster raster = GeoRaster.create(grid, List.of("col"), new float[][] {values});
    assertThat(raster.sample(0, 179.9, 0.3, SamplingMethod.NEAREST)).isEqualTo(359.0);
    assertThat(raster.sample(0, 180.2, 0.3, SamplingMethod.NEAREST)).isEqualTo(0.0);
    // Halfway between the last and the first column.
    assertThat(raster.sample(0, 180.0, 0.5, SamplingMethod.BILINEAR))
        .isCloseTo(179.5, within(1e-6));
  }

  @Test
  void unknownCrsCodeIsASpecificError() {
    assertThatThrownBy(
            () ->
                GeoRaster.create(
                    new GridSpec("EPSG:999999", 0, 0, 1, 1, 1, 1),
                    List.of("v"),
                    new float[][] {{1}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GridSpec.crsCode")
        .hasMessageContaining("EPSG:999999");
  }
}
