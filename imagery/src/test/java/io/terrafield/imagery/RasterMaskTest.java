package io.terrafield.imagery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The field case raster-mask (issue 13): a GeoTIFF's internal mask band makes its masked pixels
 * nodata everywhere the reader is used (info, sampling, buffer statistics, windows); an alpha band
 * of 0 likewise.
 */
class RasterMaskTest {

  @TempDir Path dir;

  private Path caseFile() throws IOException {
    Path file = dir.resolve("internal_mask.tif");
    try (InputStream in = getClass().getResourceAsStream("cases/internal_mask.tif")) {
      Files.copy(in, file);
    }
    return file;
  }

  @Test
  void theInternalMaskLeaves12Of16PixelsValid() throws Exception {
    GeoRaster raster = Rasters.open(caseFile());

    int valid = 0;
    for (float v : raster.bandValues(0)) {
      valid += Float.isNaN(v) ? 0 : 1;
    }
    assertThat(valid).isEqualTo(12);
    assertThat(raster.value(0, 0, 0)).isNaN();
    assertThat(raster.value(0, 3, 0)).isNaN();
    assertThat(raster.value(0, 0, 1)).isEqualTo(110f);
  }

  @Test
  void samplingTheMaskedPixelCentresGivesNodata() throws Exception {
    GeoRaster raster = Rasters.open(caseFile());
    // points_pixel_centres.csv: p00, p01 (masked row), p11, p22
    double[] values =
        raster.sample(
            0,
            new double[] {10.5, 11.5, 11.5, 12.5},
            new double[] {49.5, 49.5, 48.5, 47.5},
            SamplingMethod.NEAREST);

    assertThat(values[0]).isNaN();
    assertThat(values[1]).isNaN();
    assertThat(values[2]).isEqualTo(111.0);
    assertThat(values[3]).isEqualTo(122.0);
  }

  @Test
  void bufferStatisticsCountOnlyUnmaskedPixels() throws Exception {
    GeoRaster raster = Rasters.open(caseFile());
    BufferStatistics[] stats =
        raster.bufferStatistics(0, new double[] {11.0}, new double[] {49.0}, 80_000);

    // the four pixel centres around (11, 49) lie within 67 km; the two of the first row are masked
    assertThat(stats[0].pixelCount()).isEqualTo(4);
    assertThat(stats[0].validCount()).isEqualTo(2);
    assertThat(stats[0].mean()).isEqualTo(110.5);
  }

  @Test
  void aWindowReadAppliesTheMaskAtTheRightOffset() throws Exception {
    GeoRaster window = Rasters.open(caseFile(), new LonLatBox(11.1, 48.1, 12.9, 49.9));

    assertThat(window.value(0, 0, 0)).isNaN();
    assertThat(window.value(0, 0, 1)).isEqualTo(111f);
  }

  @Test
  void anAlphaOfZeroMakesThePixelNodataInTheOtherBands() {
    float[][] bands = {{1, 2, 3}, {4, 5, 6}, {255, 0, 255}};

    TiffMasks.applyAlpha(bands, 2);

    assertThat(bands[0][1]).isNaN();
    assertThat(bands[1][1]).isNaN();
    assertThat(bands[0][0]).isEqualTo(1f);
    assertThat(bands[2][1]).isEqualTo(0f);
  }
}
