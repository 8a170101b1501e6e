package io.terrafield.api.collections;

import io.terrafield.store.LatestValue;
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
 * extent): the earliest {@link ObservationStore#firstValueTime} over the stations with a value of
 * the variable ({@link ObservationStore#latestValues}).
 *
 * <p>The first stored value changes only when older hours are stored (an import of history), so the
 * answer is kept for {@code maxAge} and found again after; an unknown answer (nothing stored yet)
 * is not kept. Thread-safe: while one request finds a kept answer again, the others get the kept
 * one without waiting (before the first answer, each request searches).
 */
final class FirstObservations {

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
        Instant f = store.firstValueTime(l.station().id(), v).orElse(null);
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
}
