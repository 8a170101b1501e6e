package io.terrafield.api.forecasts;

import io.terrafield.forecasting.Station;
import io.terrafield.forecasting.serving.ForecastDomain;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The queries of a stored issue (no model runs here; see docs/forecasts.md, "API").
 *
 * <p><b>A point</b> inside the forecast domain is answered with the stored forecast of the nearest
 * station when that station lies within {@code nearest-km} ({@code source: station}); otherwise
 * with the bilinear interpolation of the four stored grid cells around it ({@code source: field},
 * see {@link CellLattice}); where no stored cell surrounds the point (the edge of the grid), with
 * the nearest station's forecast ({@code source: nearest-station}). A point outside the domain is
 * refused with the distance to the nearest station. <b>A grid</b> (cube, area) interpolates the
 * stored cells the same way at each cell centre; centres outside the domain (or, for an area,
 * outside the polygon) are NaN (null in the answer). Thread-safe (stateless).
 */
final class IssueQueries {

  /** The series of a grid answer, in order. */
  static final List<String> GRID_SERIES = List.of("mean", "q05", "q50", "q95", "p_exceed");

  private final double nearestKm;

  /**
   * @param nearestKm a position within this distance of a station is answered with the station's
   *     forecast, km, &gt; 0
   */
  IssueQueries(double nearestKm) {
    this.nearestKm = nearestKm;
  }

  /**
   * The forecast at a point for the selected valid times of an issue.
   *
   * @throws OutsideForecastDomainException when the point is outside the forecast domain, naming
   *     the distance
   * @throws IllegalArgumentException naming {@code datetime} when no valid time is selected
   */
  IssuePosition position(StoredIssue issue, double lon, double lat, ValidTimes times) {
    ForecastDomain domain = issue.domain();
    requireInside(domain, lon, lat);
    int[] selected = times.select(issue);
    Station nearest = domain.nearest(lon, lat);
    double distance = nearest.distanceKm(lon, lat);
    StoredIssue.Target station = issue.station(nearest.id());
    String source;
    if (distance <= nearestKm) {
      source = "station";
    } else if (issue.lattice().interpolate(lon, lat, selected[0]) != null) {
      source = "field";
    } else {
      source = "nearest-station";
    }
    int n = StoredIssue.SERIES.size();
    double[][] rows = new double[n][selected.length];
    for (int t = 0; t < selected.length; t++) {
      double[] v =
          source.equals("field")
              ? issue.lattice().interpolate(lon, lat, selected[t])
              : station.values()[selected[t]];
      for (int k = 0; k < n; k++) {
        rows[k][t] = v == null ? Double.NaN : v[k];
      }
    }
    Map<String, double[]> series = new LinkedHashMap<>();
    for (int k = 0; k < n; k++) {
      series.put(StoredIssue.SERIES.get(k), rows[k]);
    }
    return new IssuePosition(
        issue.variable(),
        lon,
        lat,
        source,
        source.equals("field") ? null : station.id(),
        distance,
        issue.issueTime(),
        issue.modelVersion(),
        validTimes(issue, selected),
        series,
        issue.threshold());
  }

  private static void requireInside(ForecastDomain domain, double lon, double lat) {
    double km = domain.distanceKm(lon, lat);
    if (km > domain.radiusKm()) {
      throw new OutsideForecastDomainException(
          String.format(
              Locale.ROOT,
              "coords: POINT(%s %s) is %.0f km from the nearest station (%s); forecasts are served"
                  + " within %.0f km of the station network",
              lon,
              lat,
              km,
              domain.nearest(lon, lat).id(),
              domain.radiusKm()));
    }
  }

  /**
   * The {@link #GRID_SERIES} on a lon × lat grid of cell centres for the selected valid times of an
   * issue, as {@code values[name][t][y][x]}; centres outside the domain or outside {@code inside}
   * are NaN.
   *
   * @param inside per [y][x] whether the centre is asked for (an area's polygon)
   * @throws IllegalArgumentException naming {@code datetime} when no valid time is selected
   */
  IssueGrid grid(
      StoredIssue issue, double[] lons, double[] lats, boolean[][] inside, ValidTimes times) {
    int[] selected = times.select(issue);
    int ny = lats.length;
    int nx = lons.length;
    int[] columns = GRID_SERIES.stream().mapToInt(StoredIssue.SERIES::indexOf).toArray();
    double[][][][] values = new double[columns.length][selected.length][ny][nx];
    for (double[][][] byName : values) {
      for (double[][] byTime : byName) {
        for (double[] row : byTime) {
          Arrays.fill(row, Double.NaN);
        }
      }
    }
    ForecastDomain domain = issue.domain();
    for (int y = 0; y < ny; y++) {
      for (int x = 0; x < nx; x++) {
        if (!inside[y][x] || !domain.contains(lons[x], lats[y])) {
          continue;
        }
        StoredIssue.Target nearest = null;
        for (int t = 0; t < selected.length; t++) {
          double[] v = issue.lattice().interpolate(lons[x], lats[y], selected[t]);
          if (v == null) {
            if (nearest == null) {
              nearest = issue.station(domain.nearest(lons[x], lats[y]).id());
            }
            v = nearest.values()[selected[t]];
          }
          if (v == null) {
            continue;
          }
          for (int k = 0; k < columns.length; k++) {
            values[k][t][y][x] = v[columns[k]];
          }
        }
      }
    }
    Map<String, double[][][]> byName = new LinkedHashMap<>();
    for (int k = 0; k < columns.length; k++) {
      byName.put(GRID_SERIES.get(k), values[k]);
    }
    return new IssueGrid(
        issue.variable(),
        lons.clone(),
        lats.clone(),
        issue.issueTime(),
        issue.modelVersion(),
        validTimes(issue, selected),
        byName,
        issue.threshold());
  }

  private static List<Instant> validTimes(StoredIssue issue, int[] selected) {
    return Arrays.stream(selected).mapToObj(i -> issue.validTimes().get(i)).toList();
  }
}
