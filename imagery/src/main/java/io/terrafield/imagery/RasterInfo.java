package io.terrafield.imagery;

import java.util.List;

/**
 * Metadata of a raster.
 *
 * @param crsCode authority code of the CRS, e.g. {@code EPSG:32632}; {@code EPSG:4326} is also
 *     reported for WGS84 in longitude/latitude order (OGC:CRS84); null when no code is known
 * @param crsName human readable CRS name
 * @param width number of columns
 * @param height number of rows
 * @param bandNames one name per band (from the file, or {@code band_1}, {@code band_2}...)
 * @param dataType storage type of the file's samples: Byte, Int16, UInt16, Int32, Float32, Float64
 * @param pixelSizeX pixel width in CRS units
 * @param pixelSizeY pixel height in CRS units (positive)
 * @param minX western bound of the extent (outer pixel edges) in CRS units
 * @param minY southern bound of the extent in CRS units
 * @param maxX eastern bound of the extent in CRS units
 * @param maxY northern bound of the extent in CRS units
 * @param lonLatBounds the extent in WGS84 degrees
 * @param noData the declared nodata value per band (NaN when none is declared; NaN samples are
 *     always treated as nodata)
 */
public record RasterInfo(
    String crsCode,
    String crsName,
    int width,
    int height,
    List<String> bandNames,
    String dataType,
    double pixelSizeX,
    double pixelSizeY,
    double minX,
    double minY,
    double maxX,
    double maxY,
    LonLatBox lonLatBounds,
    List<Double> noData) {

  /** Defensive copies. */
  public RasterInfo {
    bandNames = List.copyOf(bandNames);
    noData = List.copyOf(noData);
  }

  /** Number of bands. */
  public int bandCount() {
    return bandNames.size();
  }
}
