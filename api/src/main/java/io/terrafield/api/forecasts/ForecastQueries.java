package io.terrafield.api.forecasts;

import io.terrafield.api.forecasts.ServedField.Served;
import io.terrafield.api.runtime.TerrafieldProperties;
import io.terrafield.forecasting.serving.ForecastDomain;
import io.terrafield.forecasting.serving.IssuedForecast;
import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The queries of a served field's newest issue: a position (the station forecast within {@code
 * nearest-km}, else a field-only forecast at the point) and a grid of field-only forecasts, both
 * refused or masked outside the forecast domain. Thread-safe (the pipeline locks its model).
 */
final class ForecastQueries {
  private final TerrafieldProperties.Forecast settings;

  ForecastQueries(TerrafieldProperties.Forecast settings) {
    this.settings = settings;
  }

  /**
   * The forecast at a point for the newest issue: the station forecast when a station lies within
   * {@code nearest-km}, else a field-only forecast at the point.
   *
   * @throws ForecastNotReadyException when there is no issue yet, with the reason
   * @throws OutsideForecastDomainException when the point is outside the forecast domain
   */
  PositionForecast position(Served served, Variable v, double lon, double lat) {
    IssuedForecast issue = served.latest;
    ForecastDomain domain = served.pipeline.domain();
    requireInside(domain, lon, lat);
    io.terrafield.forecasting.Station nearest = domain.nearest(lon, lat);
    double distance = nearest.distanceKm(lon, lat);
    List<IssuedForecast.Lead> leads;
    String station = null;
    if (distance <= settings.nearestKm()) {
      leads = issue.target(nearest.id()).leads();
      station = nearest.id();
    } else {
      int[] all = new int[ForecastService.HORIZONS];
      for (int h = 0; h < ForecastService.HORIZONS; h++) {
        all[h] = h + 1;
      }
      double[][][] q =
          served.pipeline.fieldQuantiles(
              new double[] {lon}, new double[] {lat}, served.lastIssued, all);
      leads = new ArrayList<>();
      for (int h = 0; h < ForecastService.HORIZONS; h++) {
        leads.add(
            served.pipeline.summarise(h + 1, issue.issueTime().plus(Duration.ofHours(h)), q[h][0]));
      }
    }
    return PositionForecast.of(v, lon, lat, station, distance, issue, leads);
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
   * Field-only forecasts on a lon × lat grid for the valid times of the newest issue in [from, to]
   * (inclusive): per valid time and cell {@code mean}, {@code q05}, {@code q50}, {@code q95},
   * {@code p_exceed} as {@code values[name][t][y][x]}; cells outside the forecast domain are NaN.
   *
   * @throws ForecastNotReadyException when there is no issue yet
   * @throws IllegalArgumentException naming {@code datetime} when no valid time of the issue lies
   *     in [from, to]
   */
  GridForecast grid(
      Served served, Variable v, double[] lons, double[] lats, Instant from, Instant to) {
    IssuedForecast issue = served.latest;
    List<Integer> hs = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    for (int h = 0; h < ForecastService.HORIZONS; h++) {
      Instant t = issue.issueTime().plus(Duration.ofHours(h));
      if (!t.isBefore(from) && !t.isAfter(to)) {
        hs.add(h + 1);
        times.add(t);
      }
    }
    if (hs.isEmpty()) {
      throw new IllegalArgumentException(
          "datetime: no forecast hour in "
              + from
              + (from.equals(to) ? "" : "/" + to)
              + "; the newest issue covers "
              + issue.issueTime()
              + "/"
              + issue.issueTime().plus(Duration.ofHours(ForecastService.HORIZONS - 1)));
    }
    int[] leads = hs.stream().mapToInt(Integer::intValue).toArray();
    ForecastDomain domain = served.pipeline.domain();
    List<double[]> inside = new ArrayList<>();
    int nx = lons.length;
    int ny = lats.length;
    boolean[][] served2d = new boolean[ny][nx];
    for (int y = 0; y < ny; y++) {
      for (int x = 0; x < nx; x++) {
        if (domain.contains(lons[x], lats[y])) {
          served2d[y][x] = true;
          inside.add(new double[] {lons[x], lats[y]});
        }
      }
    }
    String[] names = {"mean", "q05", "q50", "q95", "p_exceed"};
    double[][][][] values = new double[names.length][leads.length][ny][nx];
    for (double[][][] byName : values) {
      for (double[][] byTime : byName) {
        for (double[] row : byTime) {
          Arrays.fill(row, Double.NaN);
        }
      }
    }
    if (!inside.isEmpty()) {
      double[] px = inside.stream().mapToDouble(p -> p[0]).toArray();
      double[] py = inside.stream().mapToDouble(p -> p[1]).toArray();
      double[][][] q = served.pipeline.fieldQuantiles(px, py, served.lastIssued, leads);
      for (int t = 0; t < leads.length; t++) {
        int p = 0;
        for (int y = 0; y < ny; y++) {
          for (int x = 0; x < nx; x++) {
            if (!served2d[y][x]) {
              continue;
            }
            IssuedForecast.Lead lead = served.pipeline.summarise(leads[t], times.get(t), q[t][p++]);
            values[0][t][y][x] = lead.mean();
            values[1][t][y][x] = lead.quantiles().q05();
            values[2][t][y][x] = lead.quantiles().q50();
            values[3][t][y][x] = lead.quantiles().q95();
            values[4][t][y][x] = lead.exceedanceProbability();
          }
        }
      }
    }
    Map<String, double[][][]> byName = new LinkedHashMap<>();
    for (int k = 0; k < names.length; k++) {
      byName.put(names[k], values[k]);
    }
    return new GridForecast(
        v, lons.clone(), lats.clone(), issue.issueTime(), times, byName, settings.threshold());
  }
}
