package io.terrafield.api.forecasts;

import io.terrafield.forecasting.serving.IssuedForecast;
import io.terrafield.store.Variable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The forecast at a queried point for the hours of the newest issue.
 *
 * @param variable the forecast variable
 * @param lon queried longitude (degrees)
 * @param lat queried latitude (degrees)
 * @param station the station whose forecast answers (within {@code nearest-km}), or {@code null}
 *     for a field-only forecast at the point
 * @param distanceKm distance to the nearest fitted station
 * @param issueTime the first valid time of the issue (the hour after the newest stored hour)
 * @param times valid times, hourly, horizons 1..72
 * @param series per name ({@code mean}, {@code q025}, {@code q05}, {@code q25}, {@code q50}, {@code
 *     q75}, {@code q95}, {@code q975}, {@code p_exceed}) one value per valid time
 * @param threshold the exceedance threshold of {@code p_exceed}
 */
public record PositionForecast(
    Variable variable,
    double lon,
    double lat,
    String station,
    double distanceKm,
    Instant issueTime,
    List<Instant> times,
    Map<String, double[]> series,
    double threshold) {

  /** The answer from the leads of an issue (the station's or a field-only forecast). */
  static PositionForecast of(
      Variable v,
      double lon,
      double lat,
      String station,
      double distanceKm,
      IssuedForecast issue,
      List<IssuedForecast.Lead> leads) {
    int n = leads.size();
    String[] names = {"q025", "q05", "q25", "q50", "q75", "q95", "q975", "mean", "p_exceed"};
    double[][] rows = new double[names.length][n];
    List<Instant> times = new java.util.ArrayList<>();
    for (int h = 0; h < n; h++) {
      IssuedForecast.Lead lead = leads.get(h);
      IssuedForecast.Quantiles q = lead.quantiles();
      double[] values = {
        q.q025(),
        q.q05(),
        q.q25(),
        q.q50(),
        q.q75(),
        q.q95(),
        q.q975(),
        lead.mean(),
        lead.exceedanceProbability()
      };
      for (int k = 0; k < names.length; k++) {
        rows[k][h] = values[k];
      }
      times.add(lead.validTime());
    }
    Map<String, double[]> series = new java.util.LinkedHashMap<>();
    for (int k = 0; k < names.length; k++) {
      series.put(names[k], rows[k]);
    }
    return new PositionForecast(
        v, lon, lat, station, distanceKm, issue.issueTime(), times, series, issue.threshold());
  }
}
