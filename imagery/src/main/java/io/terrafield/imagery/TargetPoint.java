package io.terrafield.imagery;

/**
 * A named WGS84 point at which features are computed: a station, a grid-cell centre, a survey
 * cluster.
 *
 * @param id identifier, copied to the results
 * @param lon longitude in degrees, [-180, 360]
 * @param lat latitude in degrees, [-90, 90]
 */
public record TargetPoint(String id, double lon, double lat) {

  /** Validates the coordinates. */
  public TargetPoint {
    if (!(lat >= -90 && lat <= 90)) {
      throw new IllegalArgumentException(
          "TargetPoint " + id + ": lat " + lat + " not in [-90, 90]");
    }
    if (!(lon >= -180 && lon <= 360)) {
      throw new IllegalArgumentException(
          "TargetPoint " + id + ": lon " + lon + " not in [-180, 360]");
    }
  }
}
