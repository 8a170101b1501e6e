package io.terrafield.api.forecasts;

import io.terrafield.forecasting.SpaceTimeSeries;
import io.terrafield.store.LatestValue;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The stored hourly history of one variable as the station × hour grid {@link ForecastTrainer}
 * trains the field on.
 */
final class TrainingHistory {
  private TrainingHistory() {}

  /** The newest stored hour of the variable at any station, if any. */
  static Optional<Instant> newestHour(TerrafieldStore store, Variable v) {
    return store.latestValues(v).stream()
        .map(LatestValue::time)
        .max(Comparator.naturalOrder())
        .map(t -> t.truncatedTo(ChronoUnit.HOURS));
  }

  /**
   * The grid from {@code from} (inclusive) over {@code hours} hours, filled from the store up to
   * {@code newest} (NaN after it and where absent), with the stations that have a value in it.
   *
   * @return the grid and the time of its earliest observed value
   */
  static Grid read(
      TerrafieldStore store, Variable v, Instant from, Instant newest, int hours, ZoneOffset zone) {
    List<Station> stations = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    Instant earliest = newest;
    long observed = 0;
    List<Station> candidates =
        store.latestValues(v).stream()
            .map(LatestValue::station)
            .sorted(Comparator.comparing(Station::id))
            .toList();
    for (Station station : candidates) {
      double[] row = new double[hours];
      Arrays.fill(row, Double.NaN);
      int count = 0;
      for (Observation o : store.observations(station.id(), from, newest.plusSeconds(1))) {
        Double y = o.value(v);
        int t = (int) Duration.between(from, o.time().truncatedTo(ChronoUnit.HOURS)).toHours();
        if (y != null && t >= 0 && t < hours) {
          row[t] = y;
          count++;
          if (o.time().isBefore(earliest)) {
            earliest = o.time();
          }
        }
      }
      if (count > 0) {
        stations.add(station);
        rows.add(row);
        observed += count;
      }
    }
    List<io.terrafield.forecasting.Station> points =
        stations.stream()
            .map(s -> new io.terrafield.forecasting.Station(s.id(), s.lon(), s.lat()))
            .toList();
    SpaceTimeSeries series =
        new SpaceTimeSeries(
            v.key(),
            points,
            LocalDateTime.ofInstant(from, zone),
            Duration.ofHours(1),
            rows.toArray(double[][]::new));
    return new Grid(series, stations, earliest, observed);
  }

  /**
   * A grid read from the store.
   *
   * @param series the grid
   * @param stations the store's stations, in the grid's order
   * @param earliest the earliest observed value's time
   * @param observed how many values are observed
   */
  record Grid(SpaceTimeSeries series, List<Station> stations, Instant earliest, long observed) {}
}
