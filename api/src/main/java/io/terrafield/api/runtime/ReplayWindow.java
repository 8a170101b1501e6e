package io.terrafield.api.runtime;

import io.terrafield.store.importers.BeijingImporter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Where the runtime's data time starts: the history {@code [historyFrom, replayFrom)} is
 * bulk-imported into the store at start-up, then {@code [replayFrom, replayTo)} is replayed live.
 *
 * <p>Rules, in the data's local time: {@code replay.from} {@value TerrafieldProperties.Replay#AUTO}
 * is the local midnight {@value TerrafieldProperties.Replay#AUTO_DAYS} days before the end of the
 * data (the hour after its last hour), rounded down to midnight, and no earlier than the data's
 * first hour: for the Beijing data (last hour 2016-02-29T23:00) that is 2016-01-01T00:00. An
 * explicit {@code replay.from} must lie inside the data. The history starts {@code history.days}
 * before the replay start, clipped to the data's first hour.
 *
 * @param historyFrom first hour of the history import (equal to {@code replayFrom} when none)
 * @param replayFrom first hour replayed
 * @param replayTo end of the replay (exclusive), or {@code null} for the end of the data
 * @param historyClipped whether the history was cut short by the start of the data
 */
record ReplayWindow(
    Instant historyFrom, Instant replayFrom, Instant replayTo, boolean historyClipped) {

  /** The window of the settings over data that covers {@code span}, in local time {@code zone}. */
  static ReplayWindow of(
      TerrafieldProperties.Replay replay,
      TerrafieldProperties.History history,
      BeijingImporter.Span span,
      ZoneOffset zone) {
    Instant end = span.last().plus(Duration.ofHours(1));
    Instant from =
        switch (replay.from()) {
          case TerrafieldProperties.Replay.AUTO -> max(autoFrom(span.last(), zone), span.first());
          case TerrafieldProperties.Replay.START -> span.first();
          default -> LocalDateTime.parse(replay.from()).toInstant(zone);
        };
    if (from.isBefore(span.first()) || !from.isBefore(end)) {
      throw new IllegalArgumentException(
          "terrafield.replay.from: '"
              + replay.from()
              + "' is outside the data, which runs from "
              + local(span.first(), zone)
              + " to "
              + local(span.last(), zone)
              + " (local time)");
    }
    Instant to = replay.to() == null ? null : LocalDateTime.parse(replay.to()).toInstant(zone);
    if (to != null && !to.isAfter(from)) {
      throw new IllegalArgumentException(
          "terrafield.replay.to: '"
              + replay.to()
              + "' must be after the replay start "
              + local(from, zone)
              + " (terrafield.replay.from: "
              + replay.from()
              + ")");
    }
    Instant wanted = from.minus(Duration.ofDays(history.days()));
    Instant historyFrom = max(wanted, span.first());
    return new ReplayWindow(historyFrom, from, to, historyFrom.isAfter(wanted));
  }

  /**
   * The {@value TerrafieldProperties.Replay#AUTO} replay start: the local midnight {@value
   * TerrafieldProperties.Replay#AUTO_DAYS} days before the hour after {@code lastHour}.
   */
  static Instant autoFrom(Instant lastHour, ZoneOffset zone) {
    LocalDateTime end = LocalDateTime.ofInstant(lastHour.plus(Duration.ofHours(1)), zone);
    return end.minusDays(TerrafieldProperties.Replay.AUTO_DAYS)
        .truncatedTo(ChronoUnit.DAYS)
        .toInstant(zone);
  }

  /** Whether there is history to import. */
  boolean hasHistory() {
    return historyFrom.isBefore(replayFrom);
  }

  /** {@code t} as a local date-time, e.g. {@code 2016-01-01T00:00}. */
  static String local(Instant t, ZoneOffset zone) {
    return LocalDateTime.ofInstant(t, zone).toString();
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
