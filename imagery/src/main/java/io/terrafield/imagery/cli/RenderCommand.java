package io.terrafield.imagery.cli;

import io.terrafield.imagery.GeoRaster;
import io.terrafield.imagery.RasterReadException;
import io.terrafield.imagery.Rasters;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code imagery render}: a quick-look PNG of one band, stretched between its 2nd and 98th
 * percentiles on a viridis-like colour ramp, nodata transparent, with a caption giving the file,
 * band, CRS and stretch.
 */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = "Write a quick-look PNG of one band of a GeoTIFF.")
final class RenderCommand implements Callable<Integer> {
  private static final int[][] RAMP = {
    {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}
  };
  private static final int CAPTION = 34;

  @Spec CommandSpec spec;

  @Option(names = "--raster", required = true, paramLabel = "TIF", description = "GeoTIFF file")
  Path raster;

  @Option(
      names = "--band",
      defaultValue = "1",
      description = "1-based band number (default ${DEFAULT-VALUE})")
  int band;

  @Option(
      names = "--max-size",
      defaultValue = "900",
      description =
          "longest side of the image in pixels, up- or downsampled (default ${DEFAULT-VALUE})")
  int maxSize;

  @Option(names = "--out", required = true, paramLabel = "PNG", description = "output PNG")
  Path out;

  @Override
  public Integer call() throws IOException {
    GeoRaster map;
    try {
      map = Rasters.open(raster);
    } catch (RasterReadException e) {
      return ImageryCommand.fail(spec, "--raster: " + e.getMessage() + " [" + e.reason() + "]");
    }
    if (band < 1 || band > map.bandCount()) {
      return ImageryCommand.fail(
          spec, "--band " + band + " out of range 1.." + map.bandCount() + " for " + raster);
    }
    if (maxSize < 16) {
      return ImageryCommand.fail(spec, "--max-size must be >= 16, got " + maxSize);
    }
    float[] values = map.bandValues(band - 1);
    float[] valid = new float[values.length];
    int n = 0;
    for (float v : values) {
      if (!Float.isNaN(v)) {
        valid[n++] = v;
      }
    }
    if (n == 0) {
      return ImageryCommand.fail(spec, "band " + band + " of " + raster + " holds only nodata");
    }
    Arrays.sort(valid, 0, n);
    double low = valid[(int) (0.02 * (n - 1))];
    double high = valid[(int) (0.98 * (n - 1))];
    double scale = (double) maxSize / Math.max(map.width(), map.height());
    int width = Math.max(1, (int) Math.round(map.width() * scale));
    int height = Math.max(1, (int) Math.round(map.height() * scale));
    BufferedImage image =
        new BufferedImage(Math.max(width, 360), height + CAPTION, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < height; y++) {
      int row = Math.min(map.height() - 1, (int) (y / scale));
      for (int x = 0; x < width; x++) {
        int col = Math.min(map.width() - 1, (int) (x / scale));
        float v = values[row * map.width() + col];
        image.setRGB(x, y + CAPTION, Float.isNaN(v) ? 0 : colour((v - low) / (high - low)));
      }
    }
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), CAPTION);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString(
        raster.getFileName() + "  band " + band + " " + map.info().bandNames().get(band - 1),
        4,
        14);
    g.drawString(
        String.format(
            Locale.ROOT,
            "%s  %dx%d  stretch p2-p98: %.4g (purple) .. %.4g (yellow)",
            map.info().crsCode(),
            map.width(),
            map.height(),
            low,
            high),
        4,
        29);
    g.dispose();
    ImageIO.write(image, "png", out.toFile());
    spec.commandLine().getOut().println("wrote " + out);
    spec.commandLine().getOut().flush();
    return 0;
  }

  private static int colour(double t) {
    double u = Math.max(0, Math.min(1, Double.isNaN(t) ? 0.5 : t)) * (RAMP.length - 1);
    int i = Math.min((int) u, RAMP.length - 2);
    double f = u - i;
    int r = (int) Math.round(RAMP[i][0] + f * (RAMP[i + 1][0] - RAMP[i][0]));
    int gr = (int) Math.round(RAMP[i][1] + f * (RAMP[i + 1][1] - RAMP[i][1]));
    int b = (int) Math.round(RAMP[i][2] + f * (RAMP[i + 1][2] - RAMP[i][2]));
    return 0xff000000 | r << 16 | gr << 8 | b;
  }
}
