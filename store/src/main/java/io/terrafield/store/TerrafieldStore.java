package io.terrafield.store;

/**
 * Everything Terrafield stores, behind one handle: stations and observations, forecasts, satellite
 * features and alerts. Obtain one from {@link Stores#open}. Thread-safe; close it once at shutdown
 * (it owns a connection pool).
 */
public interface TerrafieldStore
    extends ObservationStore, ForecastStore, SatelliteFeatureStore, AlertStore, EffectStore {

  /** The database this store runs on. */
  Dialect dialect();

  /** The supported databases. */
  enum Dialect {
    /** PostgreSQL with the PostGIS extension (production). */
    POSTGIS,
    /** Embedded H2 with the H2GIS functions (default, no installed service needed). */
    H2GIS
  }
}
