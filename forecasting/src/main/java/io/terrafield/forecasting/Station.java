package io.terrafield.forecasting;

/**
 * A monitoring station (or any point of interest) in WGS84.
 *
 * @param id station identifier, unique within a data set
 * @param lon longitude in degrees east, in [-180, 180]
 * @param lat latitude in degrees north, in [-90, 90]
 */
public record Station(String id, double lon, double lat) {
  /** Validates the coordinates. */
  public Station {
    if (id == null || id.isBlank()) {
      throw new ForecastingException("station id must not be blank, got '" + id + "'");
    }
    if (!(lon >= -180 && lon <= 180)) {
      throw new ForecastingException("station " + id + ": lon must be in [-180, 180], got " + lon);
    }
    if (!(lat >= -90 && lat <= 90)) {
      throw new ForecastingException("station " + id + ": lat must be in [-90, 90], got " + lat);
    }
  }

  /** Great-circle distance in kilometres (haversine, mean Earth radius 6371.0088 km). */
  public double distanceKm(double otherLon, double otherLat) {
    double p1 = Math.toRadians(lat);
    double p2 = Math.toRadians(otherLat);
    double dp = p2 - p1;
    double dl = Math.toRadians(otherLon - lon);
    double a =
        Math.sin(dp / 2) * Math.sin(dp / 2)
            + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
    return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
  }
}
