package io.terrafield.imagery.cli;

import io.terrafield.imagery.GeoRaster;
import io.terrafield.imagery.RasterInfo;
import io.terrafield.imagery.RasterReadException;
import io.terrafield.imagery.Rasters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code imagery info FILE...}: CRS, size, resolution, extent, bands and per-band statistics. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = "Print CRS, size, resolution, extent and bands of GeoTIFFs.")
final class InfoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "TIF", description = "GeoTIFF files")
  Path[] files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (Path file : files) {
      GeoRaster raster;
      try {
        raster = Rasters.open(file);
      } catch (RasterReadException e) {
        return ImageryCommand.fail(spec, e.getMessage() + " [" + e.reason() + "]");
      }
      RasterInfo i = raster.info();
      out.printf(Locale.ROOT, "%s%n", file);
      out.printf(Locale.ROOT, "  crs        %s (%s)%n", i.crsCode(), i.crsName());
      out.printf(
          Locale.ROOT,
          "  size       %d x %d, %d band(s), %s%n",
          i.width(),
          i.height(),
          i.bandCount(),
          i.dataType());
      out.printf(Locale.ROOT, "  pixel      %.6g x %.6g%n", i.pixelSizeX(), i.pixelSizeY());
      out.printf(
          Locale.ROOT,
          "  extent     x [%.6f, %.6f] y [%.6f, %.6f]%n",
          i.minX(),
          i.maxX(),
          i.minY(),
          i.maxY());
      out.printf(
          Locale.ROOT,
          "  wgs84      lon [%.5f, %.5f] lat [%.5f, %.5f]%n",
          i.lonLatBounds().minLon(),
          i.lonLatBounds().maxLon(),
          i.lonLatBounds().minLat(),
          i.lonLatBounds().maxLat());
      for (int b = 0; b < i.bandCount(); b++) {
        float[] v = raster.bandValues(b);
        double sum = 0;
        long n = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
          if (!Float.isNaN(x)) {
            sum += x;
            n++;
            min = Math.min(min, x);
            max = Math.max(max, x);
          }
        }
        out.printf(
            Locale.ROOT,
            "  band %-2d %-24s nodata=%s valid=%d/%d mean=%.3f min=%.3f max=%.3f%n",
            b + 1,
            i.bandNames().get(b),
            i.noData().get(b),
            n,
            v.length,
            sum / n,
            min,
            max);
      }
    }
    out.flush();
    return 0;
  }
}
