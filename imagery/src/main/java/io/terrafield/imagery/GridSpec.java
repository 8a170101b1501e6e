package io.terrafield.imagery;

/**
 * A north-up regular grid: the target of {@link GeoRaster#aggregateTo(GridSpec)} and the domain of
 * rasters built with {@link GeoRaster#create(GridSpec, java.util.List, float[][])}.
 *
 * <p>Coordinates are in the CRS's easting/northing order, i.e. longitude before latitude for a
 * geographic CRS, whatever the authority's official axis order.
 *
 * @param crsCode authority code understood by Apache SIS, e.g. {@code EPSG:3857}
 * @param originX x of the upper-left corner of the upper-left pixel
 * @param originY y of the upper-left corner of the upper-left pixel
 * @param pixelSizeX pixel width (positive)
 * @param pixelSizeY pixel height (positive; rows go southward)
 * @param width number of columns
 * @param height number of rows
 */
public record GridSpec(
    String crsCode,
    double originX,
    double originY,
    double pixelSizeX,
    double pixelSizeY,
    int width,
    int height) {

  /** Validates the fields. */
  public GridSpec {
    if (crsCode == null || crsCode.isBlank()) {
      throw new IllegalArgumentException("GridSpec.crsCode must be given, got '" + crsCode + "'");
    }
    if (!(pixelSizeX > 0) || !(pixelSizeY > 0)) {
      throw new IllegalArgumentException(
          "GridSpec pixel sizes must be positive, got pixelSizeX "
              + pixelSizeX
              + ", pixelSizeY "
              + pixelSizeY);
    }
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "GridSpec width and height must be positive, got width " + width + ", height " + height);
    }
    if (!Double.isFinite(originX) || !Double.isFinite(originY)) {
      throw new IllegalArgumentException(
          "GridSpec origin must be finite, got originX " + originX + ", originY " + originY);
    }
  }
}
