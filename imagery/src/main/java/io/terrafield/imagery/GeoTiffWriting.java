package io.terrafield.imagery;

import java.awt.Dimension;
import java.awt.image.DataBufferFloat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.sis.coverage.SampleDimension;
import org.apache.sis.coverage.grid.GridCoverage;
import org.apache.sis.coverage.grid.GridCoverageBuilder;
import org.apache.sis.coverage.grid.GridExtent;
import org.apache.sis.coverage.grid.GridGeometry;
import org.apache.sis.coverage.grid.PixelInCell;
import org.apache.sis.referencing.operation.matrix.Matrix3;
import org.apache.sis.referencing.operation.transform.MathTransforms;
import org.apache.sis.storage.DataStore;
import org.apache.sis.storage.DataStoreException;
import org.apache.sis.storage.DataStores;
import org.apache.sis.storage.geotiff.GeoTiffStore;

/** Writes a {@link GeoRaster} as a Float32 GeoTIFF through the Apache SIS GeoTIFF writer. */
final class GeoTiffWriting {
  private GeoTiffWriting() {}

  static void write(GeoRaster raster, Path file) throws IOException {
    double[] a = raster.gridToCrs();
    Matrix3 matrix = new Matrix3(a[1], a[2], a[0], a[4], a[5], a[3], 0, 0, 1);
    GridGeometry geometry =
        new GridGeometry(
            new GridExtent(raster.width(), raster.height()),
            PixelInCell.CELL_CENTER,
            MathTransforms.linear(matrix),
            raster.crs());
    int bandCount = raster.bandCount();
    float[][] banks = new float[bandCount][];
    List<SampleDimension> ranges = new ArrayList<>();
    for (int b = 0; b < bandCount; b++) {
      banks[b] = raster.bandArray(b);
      ranges.add(
          new SampleDimension.Builder()
              .setName(raster.info().bandNames().get(b))
              .setBackground(Float.NaN)
              .build());
    }
    GridCoverage coverage =
        new GridCoverageBuilder()
            .setDomain(geometry)
            .setRanges(ranges)
            .setValues(
                new DataBufferFloat(banks, raster.width() * raster.height()),
                new Dimension(raster.width(), raster.height()))
            .build();
    Files.deleteIfExists(file);
    try (DataStore store = DataStores.openWritable(file, "GeoTIFF")) {
      ((GeoTiffStore) store).append(coverage, null);
    } catch (DataStoreException | RuntimeException e) {
      throw new IOException("cannot write GeoTIFF " + file + ": " + e.getMessage(), e);
    }
  }
}
