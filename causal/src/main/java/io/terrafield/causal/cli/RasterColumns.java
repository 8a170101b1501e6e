package io.terrafield.causal.cli;

import io.terrafield.causal.CausalInputException;
import io.terrafield.causal.UnitTable;
import io.terrafield.imagery.BandMap;
import io.terrafield.imagery.BufferStatistics;
import io.terrafield.imagery.GeoRaster;
import io.terrafield.imagery.RasterReadException;
import io.terrafield.imagery.Rasters;
import io.terrafield.imagery.SamplingMethod;
import io.terrafield.imagery.SpectralIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Satellite features at unit locations, from the imagery module: the band value at the point
 * (bilinear), normalised-difference spectral indices (NDVI, NDWI, NDBI) of multispectral rasters
 * and, with a buffer radius, the buffer mean and SD (Jerzak, Johansson and Daoud 2023: confounders
 * that only imagery shows enter the propensity and outcome models as covariates). Values may be
 * log1p-transformed (population counts). A unit off the raster is an error naming the row and its
 * coordinates, or is marked NaN so that the missing policy drops it.
 */
final class RasterColumns {
  private RasterColumns() {}

  /** A raster opened once, optionally average-pooled. */
  record Source(String name, Path file, GeoRaster raster) {
    static Source open(String name, Path file) {
      try {
        return new Source(name, file, Rasters.open(file));
      } catch (RasterReadException e) {
        throw new CausalInputException(
            "raster '" + name + "' (" + file + ") cannot be read: " + e.getMessage());
      }
    }

    /** A normalised-difference index (NDVI, NDWI, NDBI) of a multispectral raster. */
    static Source spectralIndex(String indexName, Path file, String bandMap) {
      SpectralIndex index;
      try {
        index = SpectralIndex.valueOf(indexName.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CausalInputException(
            "spectral index '"
                + indexName
                + "' is not one of: "
                + java.util.Arrays.toString(SpectralIndex.values()).toLowerCase(Locale.ROOT));
      }
      Source raw = open(indexName, file);
      GeoRaster computed = index.compute(raw.raster(), BandMap.parse(bandMap));
      return new Source(index.name().toLowerCase(Locale.ROOT), file, computed);
    }

    Source pooled(int factor) {
      return factor == 1 ? this : new Source(name, file, raster.averagePool(factor));
    }
  }

  /**
   * Samples band 0 at every unit.
   *
   * @param dropOutside true: units off the raster get NaN; false: they are an error
   */
  static double[] sample(Source source, double[] lon, double[] lat, boolean dropOutside) {
    checkInside(source, lon, lat, dropOutside);
    double[] v = source.raster().sample(0, lon, lat, SamplingMethod.BILINEAR);
    for (int i = 0; i < v.length; i++) {
      if (!source.raster().contains(lon[i], lat[i])) {
        v[i] = Double.NaN;
      }
    }
    return v;
  }

  /** Adds confounder columns NAME, and NAME_buffer_mean / NAME_buffer_sd when bufferM > 0. */
  static UnitTable addConfounders(
      UnitTable units,
      Source source,
      double[] lon,
      double[] lat,
      double bufferM,
      boolean log1p,
      boolean dropOutside,
      List<String> covariateNames) {
    double[] point = transform(sample(source, lon, lat, dropOutside), log1p);
    UnitTable out = units.withNumericColumn(source.name(), point);
    covariateNames.add(source.name());
    if (bufferM > 0) {
      BufferStatistics[] stats = source.raster().bufferStatistics(0, lon, lat, bufferM);
      double[] mean = new double[stats.length];
      double[] sd = new double[stats.length];
      for (int i = 0; i < stats.length; i++) {
        boolean valid = stats[i].validCount() > 0;
        mean[i] = valid ? stats[i].mean() : Double.NaN;
        sd[i] = valid ? stats[i].std() : Double.NaN;
      }
      out = out.withNumericColumn(source.name() + "_buffer_mean", transform(mean, log1p));
      out = out.withNumericColumn(source.name() + "_buffer_sd", log1p ? transformSd(sd) : sd);
      covariateNames.add(source.name() + "_buffer_mean");
      covariateNames.add(source.name() + "_buffer_sd");
    }
    return out;
  }

  private static void checkInside(Source source, double[] lon, double[] lat, boolean dropOutside) {
    if (dropOutside) {
      return;
    }
    List<String> outside = new ArrayList<>();
    for (int i = 0; i < lon.length; i++) {
      if (!source.raster().contains(lon[i], lat[i])) {
        outside.add(
            String.format(Locale.ROOT, "row %d (lon %.5f, lat %.5f)", i + 1, lon[i], lat[i]));
      }
    }
    if (!outside.isEmpty()) {
      throw new CausalInputException(
          "raster '"
              + source.name()
              + "' ("
              + source.file()
              + ") does not cover "
              + outside.size()
              + " unit(s): "
              + String.join(", ", outside.subList(0, Math.min(5, outside.size())))
              + (outside.size() > 5 ? ", ..." : "")
              + "; its WGS84 bounds are "
              + source.raster().info().lonLatBounds()
              + " (use --outside-raster drop to drop them)");
    }
  }

  private static double[] transform(double[] v, boolean log1p) {
    if (!log1p) {
      return v;
    }
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Double.isNaN(v[i]) ? Double.NaN : Math.log1p(Math.max(0, v[i]));
    }
    return out;
  }

  private static double[] transformSd(double[] sd) {
    return transform(sd, true);
  }
}
