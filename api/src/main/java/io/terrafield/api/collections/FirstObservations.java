package io.terrafield.api.collections;

import io.terrafield.store.LatestValue;
import io.terrafield.store.Observation;
import io.terrafield.store.ObservationStore;
import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The time of the first stored value of each variable (the start of a collection's temporal
 * extent), found with the store's interface only: for each station with a value of the variable
 * ({@link ObservationStore#latestValues}), its first stored row by bisection on {@link
 * ObservationStore#countObservations(String, Instant, Instant)} (about 20 indexed counts over
 * ranges that halve each time), then the rows from there on, a month at a time, up to the first
 * with a value of the variable. The earliest over the stations is the answer.
 *
 * <p>The first stored value changes only when older hours are stored (an import of history), so the
 * answer is kept for {@code maxAge} and found again after; an unknown answer (nothing stored yet)
 * is not kept. Thread-safe: while one request finds a kept answer again, the others get the kept
 * one without waiting (before the first answer, each request searches).
 */
final class FirstObservations {

  /** No stored observation is looked for before this instant. */
  static final Instant FLOOR = Instant.parse("1900-01-01T00:00:00Z");

  private static final Duration WINDOW = Duration.ofDays(31);

  private final ObservationStore store;
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;
  private final Map<Variable, Kept> kept = new EnumMap<>(Variable.class);
  private final Set<Variable> refreshing = EnumSet.noneOf(Variable.class);

  private record Kept(Instant first, long at) {}

  FirstObservations(ObservationStore store, Duration maxAge) {
    this(store, maxAge, System::nanoTime);
  }

  FirstObservations(ObservationStore store, Duration maxAge, LongSupplier nanoTime) {
    this.store = store;
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * The time of the first stored value of {@code v}; empty when none is stored.
   *
   * @param latest the stations' newest values of {@code v} ({@link ObservationStore#latestValues})
   */
  Optional<Instant> first(Variable v, List<LatestValue> latest) {
    long now = nanoTime.getAsLong();
    synchronized (this) {
      Kept k = kept.get(v);
      if (k != null && (now - k.at() < maxAgeNanos || refreshing.contains(v))) {
        // fresh, or another request is finding it again: the kept one meanwhile
        return Optional.of(k.first());
      }
      refreshing.add(v);
    }
    Instant first = null;
    try {
      for (LatestValue l : latest) {
        Instant f = firstValue(l.station().id(), v, l.time());
        if (f != null && (first == null || f.isBefore(first))) {
          first = f;
        }
      }
    } finally {
      synchronized (this) {
        refreshing.remove(v);
        if (first == null) {
          kept.remove(v);
        } else {
          kept.put(v, new Kept(first, now));
        }
      }
    }
    return Optional.ofNullable(first);
  }

  /** The first stored value of {@code v} at a station, at or before {@code newest}; else null. */
  private Instant firstValue(String stationId, Variable v, Instant newest) {
    Instant end = newest.plusSeconds(1);
    Instant from = FLOOR;
    while (from.isBefore(end)) {
      Instant row = firstRow(stationId, from, end);
      if (row == null) {
        return null;
      }
      Instant to = min(row.plus(WINDOW), end);
      for (Observation o : store.observations(stationId, row, to)) {
        if (o.value(v) != null) {
          return o.time();
        }
      }
      from = to;
    }
    return null;
  }

  /** The time of the first stored row of a station in {@code [from, to)}; null when none. */
  Instant firstRow(String stationId, Instant from, Instant to) {
    if (store.countObservations(stationId, from, to) == 0) {
      return null;
    }
    // rows in [lo, hi), none in [from, lo): halve [lo, hi) down to at most an hour
    Instant lo = from;
    Instant hi = to;
    while (Duration.between(lo, hi).compareTo(Duration.ofHours(1)) > 0) {
      Instant mid = lo.plus(Duration.between(lo, hi).dividedBy(2));
      if (store.countObservations(stationId, lo, mid) > 0) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    List<Observation> rows = store.observations(stationId, lo, hi);
    return rows.isEmpty() ? null : rows.get(0).time();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
