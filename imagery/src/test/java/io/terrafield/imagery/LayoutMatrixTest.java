package io.terrafield.imagery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.DataBuffer;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tiled and stripped, LZW/Deflate/none, Byte/Int16/Float32, nodata, scale/offset. */
class LayoutMatrixTest {
  static final int WIDTH = 40;
  static final int HEIGHT = 24;

  @TempDir Path tmp;

  static Stream<Arguments> layouts() {
    return Stream.of(
        Arguments.of("Byte", DataBuffer.TYPE_BYTE, 3, null, 0),
        Arguments.of("Byte", DataBuffer.TYPE_BYTE, 3, "LZW", 16),
        Arguments.of("Int16", DataBuffer.TYPE_SHORT, 1, "Deflate", 16),
        Arguments.of("Int16", DataBuffer.TYPE_SHORT, 1, "LZW", 0),
        Arguments.of("Float32", DataBuffer.TYPE_FLOAT, 1, "Deflate", 0),
        Arguments.of("Float32", DataBuffer.TYPE_FLOAT, 1, "LZW", 16));
  }

  static double rawValue(int band, int col, int row, int dataType) {
    double v = (col * 3 + row * 5 + band * 7) % 200;
    return dataType == DataBuffer.TYPE_SHORT
        ? v - 100
        : dataType == DataBuffer.TYPE_FLOAT ? v / 4 : v;
  }

  @ParameterizedTest(name = "{0} x{2} {3} tile {4}")
  @MethodSource("layouts")
  void readsEveryLayoutWithItsGeoreferencing(
      String type, int dataType, int bands, String compression, int tile) throws Exception {
    double[][] values = new double[bands][WIDTH * HEIGHT];
    for (int b = 0; b < bands; b++) {
      for (int k = 0; k < WIDTH * HEIGHT; k++) {
        values[b][k] = rawValue(b, k % WIDTH, k / WIDTH, dataType);
      }
    }
    Path file =
        SyntheticGeoTiff.write(
            tmp.resolve("t.tif"),
            dataType,
            WIDTH,
            HEIGHT,
            values,
            compression,
            tile,
            null,
            Double.NaN,
            0);
    GeoRaster raster = Rasters.open(file);
    RasterInfo info = raster.info();
    assertThat(info.crsCode()).isEqualTo("EPSG:32632");
    assertThat(info.dataType()).isEqualTo(type);
    assertThat(info.bandCount()).isEqualTo(bands);
    assertThat(info.pixelSizeX()).isEqualTo(30.0);
    assertThat(info.minX()).isEqualTo(SyntheticGeoTiff.ORIGIN_X);
    assertThat(info.maxY()).isEqualTo(SyntheticGeoTiff.ORIGIN_Y);
    for (int b = 0; b < bands; b++) {
      for (int k = 0; k < WIDTH * HEIGHT; k += 7) {
        assertThat((double) raster.value(b, k % WIDTH, k / WIDTH)).isEqualTo(values[b][k]);
      }
    }
  }

  @Test
  void gdalNodataAndScaleOffsetAreApplied() throws Exception {
    double[][] raw = new double[1][WIDTH * HEIGHT];
    for (int k = 0; k < raw[0].length; k++) {
      raw[0][k] = k % 100;
    }
    raw[0][0] = -9999;
    raw[0][5] = -9999;
    Path file =
        SyntheticGeoTiff.write(
            tmp.resolve("scaled.tif"),
            DataBuffer.TYPE_SHORT,
            WIDTH,
            HEIGHT,
            raw,
            "LZW",
            16,
            "-9999",
            0.5,
            10);
    GeoRaster raster = Rasters.open(file);
    assertThat(raster.info().noData()).containsExactly(-9999.0);
    assertThat(raster.value(0, 0, 0)).isNaN();
    assertThat(raster.value(0, 5, 0)).isNaN();
    // physical = raw * scale + offset
    assertThat(raster.value(0, 1, 0)).isCloseTo(1 * 0.5f + 10, within(1e-6f));
    assertThat(raster.value(0, 3, 1)).isCloseTo(((WIDTH + 3) % 100) * 0.5f + 10, within(1e-6f));
  }
}
