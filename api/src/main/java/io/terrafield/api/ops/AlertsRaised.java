package io.terrafield.api.ops;

import io.terrafield.store.Alert;
import io.terrafield.store.AlertStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Counts the alerts stored since this instance started, read from the store with a cursor (issue
 * time, and the ids already counted at that time), so that it counts the alerts of any producer
 * (the api's forecast service or the Flink forecast job) once per instance. Thread-safe.
 */
final class AlertsRaised {

  private static final int PAGE = 500;

  private final AlertStore store;
  private Instant cursor;
  private final Set<String> countedAtCursor = new HashSet<>();
  private long count;

  /** Counts alerts issued at or after {@code since}. */
  AlertsRaised(AlertStore store, Instant since) {
    this.store = store;
    this.cursor = since;
  }

  /** The alerts stored so far (reads the new ones). */
  synchronized long count() {
    while (true) {
      List<Alert> page = store.alertsIssuedSince(cursor, PAGE);
      int fresh = 0;
      for (Alert a : page) {
        if (a.issuedAt().isAfter(cursor)) {
          cursor = a.issuedAt();
          countedAtCursor.clear();
        }
        if (countedAtCursor.add(a.id())) {
          fresh++;
        }
      }
      count += fresh;
      if (page.size() < PAGE || fresh == 0) {
        return count;
      }
    }
  }
}
