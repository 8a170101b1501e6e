package io.terrafield.api.forecasts;

import io.terrafield.forecasting.SpaceTimeSeries;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The training window of the store's hourly history as {@link ForecastTrainer} reads it ({@link
 * TrainingHistory}), for trainers outside the api process: {@code terrafield forecast
 * train-from-store}, which the chart's training CronJob runs. The same grid (stations with a value
 * of the variable, station × hour, NaN where absent) gives the same artifact version for the same
 * history.
 */
public final class StoreTrainingHistory {
  private StoreTrainingHistory() {}

  /** The newest stored hour of {@code v} at any station, if the store holds any value of it. */
  public static Optional<Instant> newestHour(TerrafieldStore store, Variable v) {
    return TrainingHistory.newestHour(store, v);
  }

  /**
   * The {@code historyDays} × 24 hours ending with {@code trainedThrough} (inclusive; a whole
   * hour), read from the store.
   */
  public static Window read(
      TerrafieldStore store, Variable v, Instant trainedThrough, int historyDays, ZoneOffset zone) {
    int hours = historyDays * 24;
    Instant from = trainedThrough.minus(Duration.ofHours(hours - 1L));
    TrainingHistory.Grid grid = TrainingHistory.read(store, v, from, trainedThrough, hours, zone);
    return new Window(grid.series(), from, trainedThrough, grid.earliest(), grid.observed());
  }

  /**
   * A training window.
   *
   * @param series the station × hour grid (its stations are those with a value in the window)
   * @param from the window's first hour
   * @param trainedThrough the window's last hour
   * @param earliest the earliest observed value in the window ({@code trainedThrough} if none)
   * @param observed how many values of the grid are observed
   */
  public record Window(
      SpaceTimeSeries series,
      Instant from,
      Instant trainedThrough,
      Instant earliest,
      long observed) {

    /** The span from the earliest observed hour to the last hour of the window, inclusive. */
    public Duration observedSpan() {
      return Duration.between(earliest, trainedThrough).plusHours(1);
    }
  }
}
