package io.terrafield.api.forecasts;

import io.terrafield.forecasting.Station;
import io.terrafield.forecasting.serving.ForecastDomain;
import io.terrafield.store.Variable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One stored forecast issue of a variable as the queries read it: every station and grid-cell
 * forecast of the issue, per valid time. Immutable once read (an issue is published in one
 * transaction and never changes), so it is cached and shared between requests.
 *
 * @param variable the forecast variable
 * @param issueTime the issue time: the valid time of lead 1 (UTC)
 * @param issuedAt when the forecast job computed it
 * @param modelVersion the model artifact the issue came from
 * @param threshold the exceedance threshold of {@code p_exceed}, in the variable's unit
 * @param cellSizeDeg the spacing of the grid cells in degrees (lon and lat); 0 when no cells
 * @param validTimes the valid times of the issue, hourly, ascending
 * @param stations the station forecasts
 * @param cells the grid-cell forecasts
 * @param intervalFactors the interval calibration factor per lead time, hours (1 = uncalibrated)
 * @param domain where forecasts are served: {@link ForecastDomain#around} the issue's stations with
 *     the configured {@code domain-km}, the rule the forecast job uses
 * @param lattice the cells on their lattice, for interpolation
 */
record StoredIssue(
    Variable variable,
    Instant issueTime,
    Instant issuedAt,
    String modelVersion,
    double threshold,
    double cellSizeDeg,
    List<Instant> validTimes,
    List<Target> stations,
    List<Target> cells,
    Map<Integer, Double> intervalFactors,
    ForecastDomain domain,
    CellLattice lattice) {

  /**
   * The values of one series per target and valid time, in this order: q025, q05, q25, q50, q75,
   * q95, q975 (the variable's unit), mean, p_exceed (probability).
   */
  static final List<String> SERIES =
      List.of("q025", "q05", "q25", "q50", "q75", "q95", "q975", "mean", "p_exceed");

  /** Copies the lists. */
  StoredIssue {
    validTimes = List.copyOf(validTimes);
    stations = List.copyOf(stations);
    cells = List.copyOf(cells);
    intervalFactors = Map.copyOf(intervalFactors);
  }

  /**
   * An issue with its domain and lattice derived from its targets.
   *
   * @param domainKm the served radius around the stations (0: the default rule of {@link
   *     ForecastDomain#around})
   * @throws IllegalArgumentException when the issue has no station or no valid time
   */
  static StoredIssue of(
      Variable variable,
      Instant issueTime,
      Instant issuedAt,
      String modelVersion,
      double threshold,
      double cellSizeDeg,
      List<Instant> validTimes,
      List<Target> stations,
      List<Target> cells,
      Map<Integer, Double> intervalFactors,
      double domainKm) {
    if (stations.isEmpty() || validTimes.isEmpty()) {
      throw new IllegalArgumentException(
          "issue " + issueTime + " of " + variable.key() + " has no station forecast");
    }
    ForecastDomain domain =
        ForecastDomain.around(
            stations.stream().map(t -> new Station(t.id(), t.lon(), t.lat())).toList(), domainKm);
    return new StoredIssue(
        variable,
        issueTime,
        issuedAt,
        modelVersion,
        threshold,
        cellSizeDeg,
        validTimes,
        stations,
        cells,
        intervalFactors,
        domain,
        new CellLattice(cells, cellSizeDeg));
  }

  /** The index of a valid time, or -1. */
  int timeIndex(Instant validTime) {
    return validTimes.indexOf(validTime);
  }

  /** The station with this id, or null. */
  Target station(String id) {
    return stations.stream().filter(t -> t.id().equals(id)).findFirst().orElse(null);
  }

  /**
   * A station or grid cell with its values.
   *
   * @param id station id or cell id
   * @param lon longitude, degrees (WGS84)
   * @param lat latitude, degrees (WGS84)
   * @param values per valid time (index of {@link #validTimes}) the {@link #SERIES} values; a time
   *     the target has no forecast for is null
   */
  record Target(String id, double lon, double lat, double[][] values) {}
}
