package io.terrafield.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** Stored satellite features, keyed on (scene id, target id, feature). Thread-safe. */
public interface SatelliteFeatureStore {

  /** Inserts or replaces features by key; returns the number of records written. */
  int upsertSatelliteFeatures(Collection<SatelliteFeature> features);

  /**
   * Features of one target acquired with {@code from <= acquiredAt < to}, ordered by acquisition
   * time, then scene id, then feature.
   */
  List<SatelliteFeature> satelliteFeatures(String targetId, Instant from, Instant to);
}
