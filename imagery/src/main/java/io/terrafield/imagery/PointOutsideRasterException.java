package io.terrafield.imagery;

/** A point that must fall on the raster does not. The message names the point and the bounds. */
public final class PointOutsideRasterException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param id the point's identifier
   * @param lon its longitude
   * @param lat its latitude
   * @param bounds the raster's WGS84 bounds
   */
  public PointOutsideRasterException(String id, double lon, double lat, LonLatBox bounds) {
    super(
        "point "
            + id
            + " (lon "
            + lon
            + ", lat "
            + lat
            + ") is outside the raster, whose WGS84 bounds are lon ["
            + bounds.minLon()
            + ", "
            + bounds.maxLon()
            + "], lat ["
            + bounds.minLat()
            + ", "
            + bounds.maxLat()
            + "]");
  }
}
