package io.terrafield.api.ops;

import io.terrafield.store.Alert;
import io.terrafield.store.AlertStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the alerts stored since this instance started, whatever their issue time (in a replay such
 * as the demo the alerts carry the data's time, years before the clock's), read from the store with
 * a cursor (issue time, and the ids already seen at that time), so that it counts the alerts of any
 * producer (the api's forecast service or the Flink forecast job) once per instance. At start the
 * cursor is put at the newest issue time stored then (found with a few one-row queries, not a walk
 * over the stored alerts) and the alerts stored at that time are the baseline, not counted. An
 * alert stored later with an issue time before the cursor (a backfill) is not counted. A store that
 * cannot be read at start is read at the first count. Thread-safe.
 */
final class AlertsRaised {

  private static final Logger LOG = LoggerFactory.getLogger(AlertsRaised.class);
  private static final int PAGE = 500;

  /** Before any issue time the store holds. */
  static final Instant BEGINNING = Instant.EPOCH;

  private final AlertStore store;
  private Instant cursor;
  private final Set<String> countedAtCursor = new HashSet<>();
  private long count;

  /** Takes the baseline now: the alerts already stored are not counted. */
  AlertsRaised(AlertStore store) {
    this.store = store;
    try {
      baseline();
    } catch (RuntimeException e) {
      LOG.warn("terrafield.alerts.raised counts from its first read: {}", e.toString());
    }
  }

  private void baseline() {
    Instant newest = newestIssueTime(store);
    cursor = newest == null ? BEGINNING : newest;
    countedAtCursor.clear();
    if (newest != null) {
      // every alert stored at the newest issue time (ties) is part of the baseline
      while (true) {
        int limit = countedAtCursor.size() + PAGE;
        List<Alert> page = store.alertsIssuedSince(newest, limit);
        page.forEach(a -> countedAtCursor.add(a.id()));
        if (page.size() < limit) {
          break;
        }
      }
    }
  }

  /**
   * The newest issue time of the stored alerts, null when none: a search on {@link
   * AlertStore#alertsIssuedSince} with a limit of one row.
   */
  static Instant newestIssueTime(AlertStore store) {
    List<Alert> first = store.alertsIssuedSince(BEGINNING, 1);
    if (first.isEmpty()) {
      return null;
    }
    long lo = first.get(0).issuedAt().toEpochMilli(); // an alert at or after lo
    long step = 3_600_000L;
    long hi = lo + step; // none at or after hi, once found
    while (!store.alertsIssuedSince(Instant.ofEpochMilli(hi), 1).isEmpty()) {
      lo = hi;
      step *= 2;
      hi = lo + step;
    }
    while (hi - lo > 1) {
      long mid = lo + (hi - lo) / 2;
      if (store.alertsIssuedSince(Instant.ofEpochMilli(mid), 1).isEmpty()) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return store.alertsIssuedSince(Instant.ofEpochMilli(lo), 1).get(0).issuedAt();
  }

  /** The alerts stored since start (reads the new ones). */
  synchronized long count() {
    if (cursor == null) {
      baseline();
    }
    while (true) {
      // past the ids already seen at the cursor, however many share its issue time
      int limit = countedAtCursor.size() + PAGE;
      List<Alert> page = store.alertsIssuedSince(cursor, limit);
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
      if (page.size() < limit || fresh == 0) {
        return count;
      }
    }
  }
}
