package io.terrafield.api.runtime;

import java.time.Instant;

/**
 * Where the start-up import of the history before the replay start is ({@link
 * StreamingRuntime#historyStatus()}): for the dashboard's and the status endpoint's progress.
 *
 * @param phase what the import is doing
 * @param from first hour of the history ({@code null} while not yet planned)
 * @param to end of the history (exclusive): the replay's first hour ({@code null} while not yet
 *     planned)
 * @param done readings imported so far
 * @param total readings to import (known from {@link Phase#IMPORTING} on; those the store already
 *     held are not counted)
 * @param detail a sentence for people, e.g. why there is no import or what failed
 */
public record HistoryStatus(
    Phase phase, Instant from, Instant to, long done, long total, String detail) {

  /** The phases, in order; an import ends in one of the last four. */
  public enum Phase {
    /** Not started yet. */
    PENDING,
    /** Counting the readings in the data and in the store. */
    CHECKING,
    /** Writing readings into the store. */
    IMPORTING,
    /** Finished: every reading of the history is in the store. */
    DONE,
    /** The store already held the history: nothing was written. */
    SKIPPED,
    /** No import: the replay is off or {@code terrafield.history.days} is 0. */
    DISABLED,
    /** The import stopped with an error (see {@code detail}). */
    FAILED
  }

  /** Whether the import has ended (done, skipped, disabled or failed). */
  public boolean finished() {
    return phase.ordinal() >= Phase.DONE.ordinal();
  }

  /** Whether the store holds the whole history (done or skipped). */
  public boolean loaded() {
    return phase == Phase.DONE || phase == Phase.SKIPPED;
  }

  /** The share imported, 0 to 1 (1 once the store holds the history). */
  public double fraction() {
    if (loaded()) {
      return 1;
    }
    return total > 0 ? (double) done / total : 0;
  }

  static HistoryStatus pending() {
    return new HistoryStatus(Phase.PENDING, null, null, 0, 0, "not started");
  }

  static HistoryStatus disabled(String why) {
    return new HistoryStatus(Phase.DISABLED, null, null, 0, 0, why);
  }
}
