package io.terrafield.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Stored forecasts, keyed on (target id, variable, model, issue time, valid time). Upserts are
 * idempotent. Thread-safe.
 */
public interface ForecastStore {

  /** Inserts or replaces forecasts by key; returns the number of records written. */
  int upsertForecasts(Collection<ForecastRecord> forecasts);

  /**
   * The forecasts of the newest issue time for this target, variable and model, ordered by valid
   * time; empty when there is none.
   */
  List<ForecastRecord> latestForecasts(String targetId, Variable variable, String model);

  /**
   * All targets' forecasts of one variable and model for one valid time, from the newest issue time
   * of each target, whose position lies in the box (degrees, inclusive), ordered by target id. Uses
   * the spatial index.
   */
  List<ForecastRecord> forecastsInBox(
      Variable variable,
      String model,
      Instant validTime,
      double minLon,
      double minLat,
      double maxLon,
      double maxLat);
}
