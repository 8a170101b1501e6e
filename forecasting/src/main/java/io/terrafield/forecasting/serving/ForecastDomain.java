package io.terrafield.forecasting.serving;

import io.terrafield.forecasting.ForecastingException;
import io.terrafield.forecasting.Station;
import java.util.Arrays;
import java.util.List;

/**
 * Where a field fitted on a station network is served: within {@code radiusKm} of the nearest
 * station. A neural field extrapolates freely away from its data (the positional features of
 * BayesNF are Fourier features of longitude and latitude), so values 100 km outside the network are
 * not forecasts at all.
 *
 * <p>The default radius ({@link #around}) is twice the largest nearest-neighbour distance of the
 * network, at least 10 km: every point between two neighbouring stations is inside, and so is a
 * band around the network as wide as its sparsest spacing. For the 12 Beijing stations this is
 * about 70 km. Thread-safe (immutable).
 *
 * @param stations the network
 * @param radiusKm the largest served distance to the nearest station, km, &gt; 0
 */
public record ForecastDomain(List<Station> stations, double radiusKm) {

  /** Validates. */
  public ForecastDomain {
    stations = List.copyOf(stations);
    if (stations.isEmpty()) {
      throw new ForecastingException("stations: the forecast domain needs at least one station");
    }
    if (!(radiusKm > 0) || Double.isInfinite(radiusKm)) {
      throw new ForecastingException("radiusKm: must be a finite number > 0, got " + radiusKm);
    }
  }

  /**
   * The domain of a network with the default radius (see the class comment), or {@code radiusKm}
   * when it is positive.
   */
  public static ForecastDomain around(List<Station> stations, double radiusKm) {
    if (radiusKm > 0) {
      return new ForecastDomain(stations, radiusKm);
    }
    double widest = 0;
    for (Station s : stations) {
      double nearest = Double.POSITIVE_INFINITY;
      for (Station o : stations) {
        if (o != s) {
          nearest = Math.min(nearest, s.distanceKm(o.lon(), o.lat()));
        }
      }
      if (Double.isFinite(nearest)) {
        widest = Math.max(widest, nearest);
      }
    }
    return new ForecastDomain(stations, Math.max(10, 2 * widest));
  }

  /** Great-circle distance to the nearest station, km. */
  public double distanceKm(double lon, double lat) {
    return stations.stream()
        .mapToDouble(s -> s.distanceKm(lon, lat))
        .min()
        .orElse(Double.POSITIVE_INFINITY);
  }

  /** The nearest station. */
  public Station nearest(double lon, double lat) {
    Station best = stations.get(0);
    for (Station s : stations) {
      if (s.distanceKm(lon, lat) < best.distanceKm(lon, lat)) {
        best = s;
      }
    }
    return best;
  }

  /** Whether the point is served. */
  public boolean contains(double lon, double lat) {
    return distanceKm(lon, lat) <= radiusKm;
  }

  /**
   * The bounding box of the domain in degrees {minLon, minLat, maxLon, maxLat}: the stations' box
   * widened by the radius (for the collection's spatial extent).
   */
  public double[] bbox() {
    double[] lons = stations.stream().mapToDouble(Station::lon).toArray();
    double[] lats = stations.stream().mapToDouble(Station::lat).toArray();
    double minLat = Arrays.stream(lats).min().orElseThrow();
    double maxLat = Arrays.stream(lats).max().orElseThrow();
    double dLat = radiusKm / 111.2;
    double dLon =
        radiusKm / (111.2 * Math.cos(Math.toRadians(Math.max(Math.abs(minLat), Math.abs(maxLat)))));
    return new double[] {
      Arrays.stream(lons).min().orElseThrow() - dLon,
      minLat - dLat,
      Arrays.stream(lons).max().orElseThrow() + dLon,
      maxLat + dLat
    };
  }
}
