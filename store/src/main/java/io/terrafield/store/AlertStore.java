package io.terrafield.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Stored alert messages, keyed on the message id and grouped by episode. Thread-safe. */
public interface AlertStore {

  /** Inserts or replaces alerts by id; returns the number of records written. */
  int upsertAlerts(Collection<Alert> alerts);

  Optional<Alert> alert(String id);

  /** Alerts issued at or after {@code since}, oldest first (ties by id), at most {@code limit}. */
  List<Alert> alertsIssuedSince(Instant since, int limit);

  /** The messages of one episode, oldest first (ties by id); empty for an unknown episode. */
  List<Alert> episode(String episodeId);

  /**
   * The newest message of every episode that is not cleared (the open episodes), ordered by target
   * id then variable.
   */
  List<Alert> openEpisodes();
}
