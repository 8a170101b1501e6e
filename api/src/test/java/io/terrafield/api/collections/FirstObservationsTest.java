package io.terrafield.api.collections;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.Stores;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The first stored value of a variable, found through the store's interface on an H2GIS store: the
 * earliest over the stations, rows without the variable skipped, gaps longer than the read window
 * crossed; unknown (empty) only while nothing is stored; kept for its max age.
 */
class FirstObservationsTest {

  static final Station A = new Station("A", "A", 116.4, 39.9, null, "test", Map.of());
  static final Station B = new Station("B", "B", 116.6, 40.3, null, "test", Map.of());
  static final Instant T0 = Instant.parse("2016-01-01T00:00:00Z");

  TerrafieldStore store;
  AtomicLong nanos = new AtomicLong();
  FirstObservations first;

  @BeforeEach
  void openStore() {
    store = Stores.open("jdbc:h2:mem:first-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    store.upsertStations(List.of(A, B));
    first = new FirstObservations(store, Duration.ofMinutes(1), nanos::get);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  static Observation obs(Station s, Instant t, Map<Variable, Double> values) {
    return new Observation(s.id(), t, values, null, 1);
  }

  static List<Observation> hourly(Station s, Instant from, int hours, Map<Variable, Double> v) {
    List<Observation> out = new ArrayList<>();
    for (int h = 0; h < hours; h++) {
      out.add(obs(s, from.plus(Duration.ofHours(h)), v));
    }
    return out;
  }

  private Instant firstOf(Variable v) {
    return first.first(v, store.latestValues(v)).orElse(null);
  }

  @Test
  void theEarliestValueOverTheStationsSkippingRowsWithoutTheVariable() {
    // A: pm10 only for 50 days (longer than a read window), then pm25 from T0 + 50 d + 7 h
    store.upsertObservations(hourly(A, T0, 50 * 24, Map.of(Variable.PM10, 80.0)));
    Instant aPm25 = T0.plus(Duration.ofDays(50)).plus(Duration.ofHours(7));
    store.upsertObservations(hourly(A, aPm25, 48, Map.of(Variable.PM25, 40.0)));
    // B: one pm25 reading at an odd instant, after a gap of a year, later than A's
    Instant bPm25 = aPm25.plus(Duration.ofDays(400)).plusSeconds(1234);
    store.upsertObservations(List.of(obs(B, bPm25, Map.of(Variable.PM25, 12.0))));

    assertThat(firstOf(Variable.PM25)).isEqualTo(aPm25);
    assertThat(firstOf(Variable.PM10)).isEqualTo(T0);
    assertThat(firstOf(Variable.NO2)).isNull();
    assertThat(store.firstValueTime("B", Variable.PM25)).contains(bPm25);
    assertThat(store.firstValueTime("B", Variable.PM10)).isEmpty();
  }

  @Test
  void unknownOnlyWhileNothingIsStoredAndKeptForItsMaxAge() {
    assertThat(firstOf(Variable.PM25)).isNull();
    store.upsertObservations(hourly(B, T0, 3, Map.of(Variable.PM25, 20.0)));
    // nothing was kept while unknown: found at once
    assertThat(firstOf(Variable.PM25)).isEqualTo(T0);

    Instant older = T0.minus(Duration.ofDays(3));
    store.upsertObservations(hourly(A, older, 2, Map.of(Variable.PM25, 20.0)));
    nanos.addAndGet(Duration.ofSeconds(59).toNanos());
    assertThat(firstOf(Variable.PM25)).isEqualTo(T0);
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(firstOf(Variable.PM25)).isEqualTo(older);
  }
}
