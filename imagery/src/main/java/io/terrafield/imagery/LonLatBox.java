package io.terrafield.imagery;

/**
 * A WGS84 longitude/latitude bounding box in degrees. {@code minLon > maxLon} is not allowed; a box
 * that crosses the antimeridian must be split by the caller.
 *
 * @param minLon western bound
 * @param minLat southern bound
 * @param maxLon eastern bound
 * @param maxLat northern bound
 */
public record LonLatBox(double minLon, double minLat, double maxLon, double maxLat) {

  /** Validates the bounds. */
  public LonLatBox {
    if (!(minLon <= maxLon)) {
      throw new IllegalArgumentException(
          "LonLatBox: minLon " + minLon + " must be <= maxLon " + maxLon);
    }
    if (!(minLat <= maxLat) || minLat < -90 || maxLat > 90) {
      throw new IllegalArgumentException(
          "LonLatBox: latitudes must satisfy -90 <= minLat <= maxLat <= 90, got minLat "
              + minLat
              + ", maxLat "
              + maxLat);
    }
  }

  /** Whether the point lies inside or on the box. */
  public boolean contains(double lon, double lat) {
    return lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat;
  }
}
