package io.terrafield.imagery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.sis.referencing.CRS;
import org.apache.sis.referencing.CommonCRS;
import org.apache.sis.referencing.GeodeticCalculator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opengis.referencing.operation.MathTransform;

/**
 * The buffer in metres against a brute-force reference: the geodesic distance on the WGS84
 * ellipsoid (Karney's algorithm in Apache SIS) from the point to every pixel centre.
 */
class BufferStatisticsTest {

  @ParameterizedTest(name = "{0} at lat {2}, r = {4} m")
  @CsvSource({
    // crs, lon, lat, pixel size, radius m
    "EPSG:3857, 8.0, 5.0, 1000, 10000",
    "EPSG:3857, 8.0, 60.0, 1000, 10000",
    "EPSG:3857, 8.0, 60.0, 2000, 30000",
    "EPSG:32632, 9.0, 51.0, 30, 500",
    "EPSG:32632, 4.5, 51.0, 30, 500",
    "EPSG:4326, 8.0, 5.0, 0.01, 10000",
    "EPSG:4326, 8.0, 60.0, 0.01, 10000",
    "EPSG:31985, -34.85, -8.0, 28.5, 1000"
  })
  void selectedPixelsAreThoseWithinTheGeodesicRadius(
      String code, double lon, double lat, double pixel, double radius) throws Exception {
    double groundPixel =
        code.equals("EPSG:4326")
            ? pixel * 111_320 * Math.cos(Math.toRadians(lat))
            : code.equals("EPSG:3857") ? pixel * Math.cos(Math.toRadians(lat)) : pixel;
    int size = 2 * (int) Math.ceil(1.3 * radius / groundPixel) + 1;
    GeoRaster raster = rasterAround(code, lon, lat, pixel, size);
    Random random = new Random(7);
    int points = 3;
    double[] lons = new double[points];
    double[] lats = new double[points];
    for (int i = 0; i < points; i++) {
      lons[i] = lon + (random.nextDouble() - 0.5) * 1e-3;
      lats[i] = lat + (random.nextDouble() - 0.5) * 1e-3;
    }
    GeoRaster.BufferSelector selector = raster.bufferSelector(lons, lats, radius);
    double[][] centres = pixelCentresLonLat(raster);
    GeodeticCalculator calculator = GeodeticCalculator.create(CommonCRS.WGS84.geographic());
    int[] scratch = new int[raster.width() * raster.height()];
    for (int i = 0; i < points; i++) {
      int n = selector.select(i, scratch);
      Set<Integer> selected = new HashSet<>();
      for (int k = 0; k < n; k++) {
        selected.add(scratch[k]);
      }
      int inside = 0;
      calculator.setStartGeographicPoint(lats[i], lons[i]);
      for (int k = 0; k < centres[0].length; k++) {
        calculator.setEndGeographicPoint(centres[1][k], centres[0][k]);
        double d = calculator.getGeodesicDistance();
        boolean clearlyInside = d < radius * 0.995;
        boolean clearlyOutside = d > radius * 1.005;
        if (d <= radius) {
          inside++;
        }
        if (clearlyInside) {
          assertThat(selected).as("pixel %d at %.1f m", k, d).contains(k);
        } else if (clearlyOutside) {
          assertThat(selected).as("pixel %d at %.1f m", k, d).doesNotContain(k);
        }
      }
      assertThat((double) n).isCloseTo(inside, within(Math.max(2, inside * 0.01)));
    }
  }

  @ParameterizedTest(name = "global 1/3 degree raster, lat {0}, r = {1} m")
  @CsvSource({"89.5, 50000", "87.0, 100000", "-88.8, 30000", "75.0, 150000", "60.0, 40000"})
  void nearThePolesTheBufferIsTheSphericalCap(double lat, double radius) throws Exception {
    GridSpec global = new GridSpec("EPSG:4326", -180, 90, 1 / 3.0, 1 / 3.0, 1080, 540);
    GeoRaster raster =
        GeoRaster.create(global, List.of("zero"), new float[][] {new float[1080 * 540]});
    double lon = 179.9;
    GeoRaster.BufferSelector selector =
        raster.bufferSelector(new double[] {lon}, new double[] {lat}, radius);
    int[] scratch = new int[1080 * 540];
    int n = selector.select(0, scratch);
    Set<Integer> selected = new HashSet<>();
    for (int k = 0; k < n; k++) {
      selected.add(scratch[k]);
    }
    GeodeticCalculator calculator = GeodeticCalculator.create(CommonCRS.WGS84.geographic());
    calculator.setStartGeographicPoint(lat, lon);
    double reach = Math.toDegrees(radius / 6_300_000.0) + 1;
    int inside = 0;
    for (int row = 0; row < 540; row++) {
      double pixelLat = 90 - (row + 0.5) / 3.0;
      if (Math.abs(pixelLat - lat) > reach) {
        continue;
      }
      for (int col = 0; col < 1080; col++) {
        double pixelLon = -180 + (col + 0.5) / 3.0;
        calculator.setEndGeographicPoint(pixelLat, pixelLon);
        double d = calculator.getGeodesicDistance();
        int k = row * 1080 + col;
        if (d <= radius) {
          inside++;
        }
        if (d < radius * 0.995) {
          assertThat(selected).as("pixel (%d, %d) at %.0f m", col, row, d).contains(k);
        } else if (d > radius * 1.005) {
          assertThat(selected).as("pixel (%d, %d) at %.0f m", col, row, d).doesNotContain(k);
        }
      }
    }
    assertThat((double) n).isCloseTo(inside, within(Math.max(2, inside * 0.01)));
  }

  @Test
  void statisticsOfAKnownBlock() {
    GridSpec grid = new GridSpec("EPSG:32632", 500000, 5650000, 10, 10, 50, 50);
    float[] values = new float[2500];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i % 2 == 0) ? 1 : 3;
    }
    values[25 * 50 + 25] = Float.NaN;
    GeoRaster raster = GeoRaster.create(grid, List.of("v"), new float[][] {values});
    double[][] ll = centreOf(raster, 25, 25);
    BufferStatistics stats = raster.bufferStatistics(0, ll[0], ll[1], 10.5)[0];
    // Centre (nodata) + 4 neighbours at 10 m; the diagonals (14.1 m) are outside.
    assertThat(stats.pixelCount()).isEqualTo(5);
    assertThat(stats.validCount()).isEqualTo(4);
    // Columns alternate 1, 3: the west/east neighbours hold 1, the north/south ones 3.
    assertThat(stats.mean()).isCloseTo(2, within(1e-9));
    assertThat(stats.std()).isCloseTo(1, within(1e-9));
    BufferStatistics wide = raster.bufferStatistics(0, ll[0], ll[1], 100)[0];
    assertThat(wide.min()).isEqualTo(1);
    assertThat(wide.max()).isEqualTo(3);
    assertThat(wide.mean()).isCloseTo(2, within(0.05));
    assertThat(wide.std()).isCloseTo(1, within(0.01));
    BufferStatistics tiny = raster.bufferStatistics(0, ll[0], ll[1], 0)[0];
    assertThat(tiny.pixelCount()).isEqualTo(1);
    BufferStatistics outside =
        raster.bufferStatistics(0, new double[] {40}, new double[] {-40}, 50)[0];
    assertThat(outside.validCount()).isZero();
    assertThat(outside.mean()).isNaN();
  }

  static double[][] centreOf(GeoRaster raster, int col, int row) {
    try {
      return SamplingTest.lonLatOf(raster, new double[] {col}, new double[] {row});
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static GeoRaster rasterAround(String code, double lon, double lat, double pixel, int size)
      throws Exception {
    MathTransform toCrs =
        CRS.findOperation(CommonCRS.WGS84.normalizedGeographic(), Crs.decode(code, "code"), null)
            .getMathTransform();
    double[] p = {lon, lat};
    toCrs.transform(p, 0, p, 0, 1);
    GridSpec grid =
        new GridSpec(
            code, p[0] - pixel * size / 2.0, p[1] + pixel * size / 2.0, pixel, pixel, size, size);
    return GeoRaster.create(grid, List.of("zero"), new float[][] {new float[size * size]});
  }

  static double[][] pixelCentresLonLat(GeoRaster raster) throws Exception {
    int n = raster.width() * raster.height();
    double[] cols = new double[n];
    double[] rows = new double[n];
    for (int k = 0; k < n; k++) {
      cols[k] = k % raster.width();
      rows[k] = k / raster.width();
    }
    return SamplingTest.lonLatOf(raster, cols, rows);
  }
}
