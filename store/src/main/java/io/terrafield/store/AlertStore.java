package io.terrafield.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Stored exceedance alerts, keyed on the alert id. Thread-safe. */
public interface AlertStore {

  /** Inserts or replaces alerts by id; returns the number of records written. */
  int upsertAlerts(Collection<Alert> alerts);

  Optional<Alert> alert(String id);

  /** Alerts issued at or after {@code since}, oldest first (ties by id), at most {@code limit}. */
  List<Alert> alertsIssuedSince(Instant since, int limit);
}
