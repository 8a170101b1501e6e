package io.terrafield.imagery;

import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.sis.coverage.SampleDimension;
import org.apache.sis.coverage.grid.DisjointExtentException;
import org.apache.sis.coverage.grid.GridCoverage;
import org.apache.sis.coverage.grid.GridExtent;
import org.apache.sis.coverage.grid.GridGeometry;
import org.apache.sis.coverage.grid.PixelInCell;
import org.apache.sis.geometry.GeneralEnvelope;
import org.apache.sis.referencing.CommonCRS;
import org.apache.sis.referencing.operation.transform.LinearTransform;
import org.apache.sis.storage.Aggregate;
import org.apache.sis.storage.DataStore;
import org.apache.sis.storage.DataStoreException;
import org.apache.sis.storage.DataStores;
import org.apache.sis.storage.GridCoverageResource;
import org.apache.sis.storage.Resource;
import org.apache.sis.storage.UnsupportedStorageException;
import org.opengis.referencing.crs.CoordinateReferenceSystem;
import org.opengis.referencing.operation.MathTransform;

/**
 * Entry point of the imagery module: opens GeoTIFFs into {@link GeoRaster}s and writes them back.
 *
 * <p>Reading uses Apache SIS ({@code sis-geotiff}): stripped and tiled layouts, Deflate/LZW/
 * PackBits compression, Byte/Int16/UInt16/Int32/Float32/Float64 samples, any number of bands.
 * Declared nodata values become NaN and scale/offset are applied (SIS "converted values"). A GDAL
 * {@code .aux.xml} sidecar, when present, supplies band names and extra nodata values; a malformed
 * sidecar is ignored. With a {@link LonLatBox} window only the tiles/strips that intersect it are
 * read, so a small window of a large file is cheap. Validity masks that SIS does not apply (a GDAL
 * internal mask IFD, an alpha band) make the masked pixels nodata in every band ({@code
 * TiffMasks}). Thread-safe.
 */
public final class Rasters {
  private Rasters() {}

  /**
   * Opens a GeoTIFF and reads all of its pixels.
   *
   * @throws RasterReadException with reason NOT_FOUND, NOT_TIFF, TRUNCATED, NO_CRS or UNREADABLE
   */
  public static GeoRaster open(Path file) throws RasterReadException {
    return open(file, null);
  }

  /**
   * Opens a GeoTIFF given by a URI (a {@code file:} URI or a plain path; other schemes are passed
   * to Apache SIS).
   *
   * @throws RasterReadException with a reason code, see {@link #open(Path)}
   */
  public static GeoRaster open(URI uri) throws RasterReadException {
    if (uri.getScheme() == null) {
      return open(Path.of(uri.getPath()), null);
    }
    if ("file".equalsIgnoreCase(uri.getScheme())) {
      return open(Path.of(uri), null);
    }
    return read(uri, uri.toString(), null);
  }

  /**
   * Opens a GeoTIFF and reads only the part that intersects a WGS84 window (the result may be a
   * little larger, up to whole tiles).
   *
   * @param window the region to read, or null for the whole raster
   * @throws RasterReadException with a reason code, see {@link #open(Path)}
   * @throws IllegalArgumentException when the window does not intersect the raster
   */
  public static GeoRaster open(Path file, LonLatBox window) throws RasterReadException {
    String source = file.toString();
    if (!Files.exists(file)) {
      throw new RasterReadException(
          RasterReadException.Reason.NOT_FOUND, source, "raster file not found: " + source, null);
    }
    checkTiffSignature(file, source);
    return read(file, source, window);
  }

  /**
   * Writes a raster as a GeoTIFF with Float32 samples, its CRS and its grid-to-CRS transform.
   * Nodata is NaN. An existing file is replaced.
   *
   * @throws IOException when the file cannot be written
   */
  public static void write(GeoRaster raster, Path file) throws IOException {
    GeoTiffWriting.write(raster, file);
  }

  private static void checkTiffSignature(Path file, String source) throws RasterReadException {
    byte[] head = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 4);
    } catch (IOException e) {
      throw new RasterReadException(
          RasterReadException.Reason.UNREADABLE, source, "cannot read " + source + ": " + e, e);
    }
    boolean little = n >= 2 && head[0] == 'I' && head[1] == 'I';
    boolean big = n >= 2 && head[0] == 'M' && head[1] == 'M';
    if (n < 4) {
      if ((little || big) || n == 0) {
        throw new RasterReadException(
            n == 0 ? RasterReadException.Reason.NOT_TIFF : RasterReadException.Reason.TRUNCATED,
            source,
            (n == 0 ? "empty file, not a TIFF: " : "TIFF header truncated after " + n + " bytes: ")
                + source,
            null);
      }
    }
    int magic = little ? (head[2] & 0xff) | (head[3] & 0xff) << 8 : (head[2] & 0xff) << 8 | head[3];
    if (!(little || big) || (magic != 42 && magic != 43)) {
      throw new RasterReadException(
          RasterReadException.Reason.NOT_TIFF,
          source,
          "not a TIFF file (no II*/MM* signature): " + source,
          null);
    }
  }

  private static GeoRaster read(Object input, String source, LonLatBox window)
      throws RasterReadException {
    try (DataStore store = DataStores.open(input, "GeoTIFF")) {
      GridCoverageResource resource = firstCoverage(store, source);
      GridGeometry full = resource.getGridGeometry();
      if (!full.isDefined(GridGeometry.CRS)) {
        throw new RasterReadException(
            RasterReadException.Reason.NO_CRS,
            source,
            "raster has no coordinate reference system (no GeoTIFF geokeys): " + source,
            null);
      }
      if (!full.isDefined(GridGeometry.GRID_TO_CRS)) {
        throw new RasterReadException(
            RasterReadException.Reason.NO_CRS,
            source,
            "raster has no georeferencing (no grid-to-CRS transform): " + source,
            null);
      }
      GridGeometry domain = window == null ? null : subgrid(full, window, source);
      GridCoverage raw = resource.read(domain);
      GridCoverage converted = raw.forConvertedValues(true);
      GridGeometry geometry = converted.getGridGeometry();
      GridExtent extent = geometry.getExtent();
      RenderedImage rawImage = raw.render(null);
      String dataType = dataTypeName(rawImage.getSampleModel().getDataType());
      RenderedImage image = converted.render(null);
      int width = image.getWidth();
      int height = image.getHeight();
      if (extent.getSize(0) != width || extent.getSize(1) != height) {
        throw new RasterReadException(
            RasterReadException.Reason.UNREADABLE,
            source,
            "image size " + width + "x" + height + " differs from grid extent " + extent,
            null);
      }
      double[] affine = affine(geometry, extent, source);
      List<SampleDimension> dims = converted.getSampleDimensions();
      Raster data = image.getData();
      float[][] bands = new float[dims.size()][];
      for (int b = 0; b < bands.length; b++) {
        bands[b] =
            data.getSamples(data.getMinX(), data.getMinY(), width, height, b, (float[]) null);
      }
      List<SampleDimension> rawDims = raw.getSampleDimensions();
      List<Double> noData = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int b = 0; b < bands.length; b++) {
        Set<Number> declared = rawDims.get(b).getNoDataValues();
        noData.add(declared.isEmpty() ? Double.NaN : declared.iterator().next().doubleValue());
        names.add(rawDims.get(b).getName().toString());
      }
      if (input instanceof Path path) {
        List<Boolean> handledBySis = new ArrayList<>();
        for (int b = 0; b < bands.length; b++) {
          SampleDimension dim = rawDims.get(b);
          handledBySis.add(
              !dim.getNoDataValues().isEmpty()
                  || dim.getTransferFunction().map(f -> !f.isIdentity()).orElse(false));
        }
        GdalTags gdal = GdalTags.read(path);
        gdal.apply(bands, handledBySis, noData);
        for (var description : gdal.descriptions.entrySet()) {
          if (description.getKey() < names.size()) {
            names.set(description.getKey(), description.getValue());
          }
        }
        AuxXmlSidecar.apply(path, names, noData, bands);
        applyMasks(path, bands, width, height, extent.getLow(0), extent.getLow(1), source);
      }
      List<String> bandNames = uniqueBandNames(names);
      CoordinateReferenceSystem crs = geometry.getCoordinateReferenceSystem();
      RasterInfo info = Crs.describe(crs, null, affine, width, height, bandNames, dataType, noData);
      return new GeoRaster(crs, affine, width, height, bands, info);
    } catch (RasterReadException e) {
      throw e;
    } catch (UnsupportedStorageException e) {
      throw new RasterReadException(
          RasterReadException.Reason.NOT_TIFF,
          source,
          "not a readable GeoTIFF: " + source + " (" + e.getMessage() + ")",
          e);
    } catch (DataStoreException | RuntimeException e) {
      throw classify(e, source);
    }
  }

  /** The internal mask band and an alpha band: masked pixels become nodata in every band. */
  private static void applyMasks(
      Path path, float[][] bands, int width, int height, long lowX, long lowY, String source)
      throws RasterReadException {
    try {
      TiffMasks.Mask mask = TiffMasks.internalMask(path);
      if (mask != null) {
        TiffMasks.apply(mask, bands, width, height, lowX, lowY);
      }
      int alpha = TiffMasks.alphaBand(path);
      if (alpha >= 0 && alpha < bands.length) {
        TiffMasks.applyAlpha(bands, alpha);
      }
    } catch (java.io.IOException e) {
      throw new RasterReadException(
          RasterReadException.Reason.UNREADABLE,
          source,
          "cannot read the validity mask of " + source + ": " + e.getMessage(),
          e);
    }
  }

  private static RasterReadException classify(Exception e, String source) {
    if (e instanceof IllegalArgumentException iae
        && iae.getMessage() != null
        && iae.getMessage().startsWith("window")) {
      throw iae;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException) {
        return new RasterReadException(
            RasterReadException.Reason.TRUNCATED,
            source,
            "TIFF is truncated (unexpected end of file): " + source,
            e);
      }
      if (t instanceof NoSuchFileException) {
        return new RasterReadException(
            RasterReadException.Reason.NOT_FOUND, source, "raster not found: " + source, e);
      }
    }
    return new RasterReadException(
        RasterReadException.Reason.UNREADABLE,
        source,
        "cannot read raster " + source + ": " + e.getMessage(),
        e);
  }

  private static GridCoverageResource firstCoverage(Resource resource, String source)
      throws DataStoreException, RasterReadException {
    if (resource instanceof GridCoverageResource coverage) {
      return coverage;
    }
    if (resource instanceof Aggregate aggregate) {
      for (Resource component : aggregate.components()) {
        if (component instanceof GridCoverageResource coverage) {
          return coverage;
        }
      }
    }
    throw new RasterReadException(
        RasterReadException.Reason.UNREADABLE, source, "no image in " + source, null);
  }

  private static GridGeometry subgrid(GridGeometry full, LonLatBox window, String source) {
    GeneralEnvelope envelope = new GeneralEnvelope(CommonCRS.WGS84.normalizedGeographic());
    envelope.setRange(0, window.minLon(), window.maxLon());
    envelope.setRange(1, window.minLat(), window.maxLat());
    try {
      return full.derive().subgrid(envelope).build();
    } catch (DisjointExtentException e) {
      throw new IllegalArgumentException(
          "window " + window + " does not intersect raster " + source, e);
    }
  }

  private static double[] affine(GridGeometry geometry, GridExtent extent, String source)
      throws RasterReadException {
    MathTransform gridToCrs = geometry.getGridToCRS(PixelInCell.CELL_CENTER);
    if (!(gridToCrs instanceof LinearTransform linear)
        || gridToCrs.getSourceDimensions() != 2
        || gridToCrs.getTargetDimensions() != 2) {
      throw new RasterReadException(
          RasterReadException.Reason.UNREADABLE,
          source,
          "only 2-D affine georeferencing is supported, got " + gridToCrs,
          null);
    }
    var m = linear.getMatrix();
    double lowX = extent.getLow(0);
    double lowY = extent.getLow(1);
    double a0 = m.getElement(0, 2) + m.getElement(0, 0) * lowX + m.getElement(0, 1) * lowY;
    double a3 = m.getElement(1, 2) + m.getElement(1, 0) * lowX + m.getElement(1, 1) * lowY;
    return new double[] {
      a0, m.getElement(0, 0), m.getElement(0, 1), a3, m.getElement(1, 0), m.getElement(1, 1)
    };
  }

  private static List<String> uniqueBandNames(List<String> names) {
    List<String> out = new ArrayList<>();
    boolean unique = names.stream().distinct().count() == names.size();
    for (int b = 0; b < names.size(); b++) {
      String name = names.get(b);
      boolean generic =
          name == null
              || name.isBlank()
              || name.toLowerCase(Locale.ROOT).startsWith("gray")
              || name.toLowerCase(Locale.ROOT).startsWith("grey");
      out.add(unique && !generic ? name : "band_" + (b + 1));
    }
    return out;
  }

  private static String dataTypeName(int type) {
    return switch (type) {
      case java.awt.image.DataBuffer.TYPE_BYTE -> "Byte";
      case java.awt.image.DataBuffer.TYPE_SHORT -> "Int16";
      case java.awt.image.DataBuffer.TYPE_USHORT -> "UInt16";
      case java.awt.image.DataBuffer.TYPE_INT -> "Int32";
      case java.awt.image.DataBuffer.TYPE_FLOAT -> "Float32";
      case java.awt.image.DataBuffer.TYPE_DOUBLE -> "Float64";
      default -> "Unknown(" + type + ")";
    };
  }
}
