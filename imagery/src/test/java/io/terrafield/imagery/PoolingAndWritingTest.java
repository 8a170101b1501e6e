package io.terrafield.imagery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PoolingAndWritingTest {

  @TempDir Path tmp;

  @Test
  void averagePoolingMeansBlocksAndKeepsTheExtent() {
    GridSpec grid = new GridSpec("EPSG:32632", 500000, 5600000, 10, 10, 5, 4);
    float[] v = new float[20];
    for (int i = 0; i < 20; i++) {
      v[i] = i;
    }
    v[0] = Float.NaN;
    GeoRaster raster = GeoRaster.create(grid, List.of("v"), new float[][] {v});
    GeoRaster pooled = raster.averagePool(2);
    assertThat(pooled.width()).isEqualTo(3);
    assertThat(pooled.height()).isEqualTo(2);
    // Block (0,0): values 1, 5, 6 (0 is nodata).
    assertThat(pooled.value(0, 0, 0)).isCloseTo(4f, within(1e-6f));
    // Partial right-hand block (col 4, rows 0-1): values 4, 9.
    assertThat(pooled.value(0, 2, 0)).isCloseTo(6.5f, within(1e-6f));
    assertThat(pooled.info().pixelSizeX()).isCloseTo(20, within(1e-9));
    assertThat(pooled.info().minX()).isCloseTo(raster.info().minX(), within(1e-6));
    assertThat(pooled.info().maxY()).isCloseTo(raster.info().maxY(), within(1e-6));
    assertThat(pooled.info().crsCode()).isEqualTo("EPSG:32632");
    assertThatThrownBy(() -> raster.averagePool(0))
        .hasMessageContaining("factor")
        .hasMessageContaining("0");
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 4, 8})
  void poolingEqualsAggregationToTheAlignedCoarserGrid(int factor) throws Exception {
    GeoRaster wealth = Rasters.open(TestData.imagery("nigeria_wealth_pred_2012_2014.tif"));
    GeoRaster pooled = wealth.averagePool(factor);
    RasterInfo info = wealth.info();
    GridSpec coarse =
        new GridSpec(
            "EPSG:3857",
            info.minX(),
            info.maxY(),
            info.pixelSizeX() * factor,
            info.pixelSizeY() * factor,
            pooled.width(),
            pooled.height());
    GeoRaster aggregated = wealth.aggregateTo(coarse);
    float[] a = pooled.bandValues(0);
    float[] b = aggregated.bandValues(0);
    for (int k = 0; k < a.length; k++) {
      if (Float.isNaN(a[k])) {
        assertThat(b[k]).isNaN();
      } else {
        assertThat(b[k]).isCloseTo(a[k], within(1e-5f));
      }
    }
    // Sampling the pooled raster at a point is the mean of the fine pixels of its block.
    double lagosPooled = pooled.sample(0, 3.38, 6.52, SamplingMethod.NEAREST);
    assertThat(lagosPooled).isFinite();
  }

  @Test
  void aggregationAcrossCrsPutsUtmPixelsIntoAGeographicGrid() throws Exception {
    GeoRaster marburg =
        Rasters.open(TestData.imagery("landsat8_marburg_20130707_B1-7_B10_B11.tif"));
    LonLatBox box = marburg.info().lonLatBounds();
    GridSpec one = new GridSpec("EPSG:4326", box.minLon() - 0.01, box.maxLat() + 0.01, 1, 1, 1, 1);
    GeoRaster cell = marburg.aggregateTo(one);
    assertThat(cell.value(4, 0, 0))
        .isCloseTo((float) RealRastersTest.mean(marburg.bandValues(4)), within(0.01f));
  }

  @Test
  void geoTiffRoundTripKeepsValuesCrsAndGeoreferencing() throws Exception {
    GridSpec grid = new GridSpec("EPSG:3857", 290700, 1568250, 7650, 7650, 7, 5);
    float[] a = new float[35];
    float[] b = new float[35];
    for (int i = 0; i < 35; i++) {
      a[i] = i * 0.5f - 3;
      b[i] = -i;
    }
    a[3] = Float.NaN;
    GeoRaster forecast =
        GeoRaster.create(grid, List.of("pm25_mean", "pm25_q95"), new float[][] {a, b});
    Path file = tmp.resolve("forecast.tif");
    Rasters.write(forecast, file);
    GeoRaster back = Rasters.open(file);
    assertThat(back.info().crsCode()).isEqualTo("EPSG:3857");
    assertThat(back.info().dataType()).isEqualTo("Float32");
    assertThat(back.width()).isEqualTo(7);
    assertThat(back.height()).isEqualTo(5);
    assertThat(back.bandCount()).isEqualTo(2);
    assertThat(back.gridToCrs()).containsExactly(forecast.gridToCrs(), within(1e-6));
    assertThat(back.bandValues(0)).containsExactly(a);
    assertThat(back.bandValues(1)).containsExactly(b);
  }

  @Test
  void realMapRoundTrip() throws Exception {
    GeoRaster olinda = Rasters.open(TestData.imagery("landsat7_olinda_L7_ETMs.tif"));
    Path file = tmp.resolve("olinda.tif");
    Rasters.write(olinda, file);
    GeoRaster back = Rasters.open(file);
    assertThat(back.info().crsCode()).isEqualTo("EPSG:31985");
    for (int band = 0; band < 6; band++) {
      assertThat(back.bandValues(band)).containsExactly(olinda.bandValues(band));
    }
  }
}
