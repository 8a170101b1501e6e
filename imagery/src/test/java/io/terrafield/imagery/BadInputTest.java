package io.terrafield.imagery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad raster gives its own reason code and a message naming the file. */
class BadInputTest {

  @TempDir Path tmp;

  @Test
  void missingFile() {
    Path missing = tmp.resolve("nowhere.tif");
    RasterReadException e =
        catchThrowableOfType(RasterReadException.class, () -> Rasters.open(missing));
    assertThat(e.reason()).isEqualTo(RasterReadException.Reason.NOT_FOUND);
    assertThat(e.getMessage()).contains("nowhere.tif");
  }

  @Test
  void notATiff() throws Exception {
    Path csv = Files.writeString(tmp.resolve("points.tif"), "lon,lat\n1,2\n");
    RasterReadException e =
        catchThrowableOfType(RasterReadException.class, () -> Rasters.open(csv));
    assertThat(e.reason()).isEqualTo(RasterReadException.Reason.NOT_TIFF);
    assertThat(e.getMessage()).contains("points.tif");
    Path empty = Files.write(tmp.resolve("empty.tif"), new byte[0]);
    assertThat(catchThrowableOfType(RasterReadException.class, () -> Rasters.open(empty)).reason())
        .isEqualTo(RasterReadException.Reason.NOT_TIFF);
  }

  @Test
  void truncatedTiff() throws Exception {
    byte[] full = Files.readAllBytes(TestData.imagery("landsat7_olinda_L7_ETMs.tif"));
    for (int length : new int[] {3, 100, full.length / 3}) {
      Path cut = tmp.resolve("cut" + length + ".tif");
      Files.write(cut, java.util.Arrays.copyOf(full, length));
      RasterReadException e =
          catchThrowableOfType(RasterReadException.class, () -> Rasters.open(cut));
      assertThat(e.reason())
          .as("cut at %d bytes", length)
          .isEqualTo(RasterReadException.Reason.TRUNCATED);
      assertThat(e.getMessage()).contains(cut.getFileName().toString());
    }
  }

  @Test
  void plainTiffWithoutCrs() throws Exception {
    BufferedImage image = new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_GRAY);
    Path plain = tmp.resolve("plain.tif");
    assertThat(ImageIO.write(image, "tiff", plain.toFile())).isTrue();
    RasterReadException e =
        catchThrowableOfType(RasterReadException.class, () -> Rasters.open(plain));
    assertThat(e.reason()).isEqualTo(RasterReadException.Reason.NO_CRS);
    assertThat(e.getMessage()).contains("plain.tif");
  }

  @Test
  void windowOutsideTheRaster() throws Exception {
    Path wealth = TestData.imagery("nigeria_wealth_pred_2012_2014.tif");
    IllegalArgumentException e =
        catchThrowableOfType(
            IllegalArgumentException.class,
            () -> Rasters.open(wealth, new LonLatBox(100, 40, 101, 41)));
    assertThat(e.getMessage()).contains("window").contains("nigeria_wealth");
  }
}
