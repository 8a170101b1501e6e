package io.terrafield.api.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.terrafield.api.runtime.HistoryStatus.Phase;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.Stores;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.importers.BeijingImporter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The history import on the real demo-data slice (gzip-compressed) into an H2GIS store: 3 days of
 * the 12 stations before the default replay start 2016-01-01T00:00 (local).
 */
class HistoryImportTest {

  static final DemoData DEMO = DemoData.resolve(Path.of("../demo-data"));
  static final ZoneOffset ZONE = BeijingImporter.LOCAL_OFFSET;
  static final Instant FROM = LocalDateTime.parse("2015-12-29T00:00").toInstant(ZONE);
  static final Instant TO = LocalDateTime.parse("2016-01-01T00:00").toInstant(ZONE);
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC);

  TerrafieldStore store;
  List<Station> stations;

  @BeforeEach
  void openStore() {
    store =
        Stores.open("jdbc:h2:mem:history-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    stations = DEMO.stations();
    store.upsertStations(stations);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void importsEveryReadingOfTheWindowOnceAndSkipsWhenTheStoreHoldsThem() {
    HistoryImport first = new HistoryImport(store, DEMO, CLOCK, 100, ZONE);
    assertThat(first.status().phase()).isEqualTo(Phase.PENDING);

    HistoryStatus done = first.run(FROM, TO);

    assertThat(done)
        .isEqualTo(
            new HistoryStatus(
                Phase.DONE,
                FROM,
                TO,
                12 * 72,
                12 * 72,
                "Imported 864 readings of 72 hours of history (from 2015-12-29T00:00 to"
                    + " 2016-01-01T00:00) in 0.0 s"));
    assertThat(first.status()).isEqualTo(done);
    assertThat(done.finished()).isTrue();
    assertThat(done.fraction()).isEqualTo(1.0);
    assertThat(store.countObservations()).isEqualTo(12 * 72);
    for (Station s : stations) {
      List<Observation> stored = store.observations(s.id(), FROM, TO);
      assertThat(stored).hasSize(72);
      assertThat(stored.get(0).time()).isEqualTo(FROM);
      assertThat(stored.get(71).time()).isEqualTo(TO.minusSeconds(3600));
    }
    List<Observation> expected;
    try (Stream<Observation> rows = DEMO.observations(FROM, TO)) {
      expected = rows.toList();
    }
    assertThat(store.observations("Dongsi", FROM, TO))
        .isEqualTo(expected.stream().filter(o -> o.stationId().equals("Dongsi")).toList());

    HistoryStatus again = new HistoryImport(store, DEMO, CLOCK, 100, ZONE).run(FROM, TO);

    assertThat(again.phase()).isEqualTo(Phase.SKIPPED);
    assertThat(again.loaded()).isTrue();
    assertThat(again.detail())
        .isEqualTo(
            "the store already holds the 864 readings of 2015-12-29T00:00 to 2016-01-01T00:00"
                + " (12 stations): not imported again (checked in 0.0 s)");
    assertThat(store.countObservations()).isEqualTo(12 * 72);
  }

  @Test
  void completesAnImportCutShortWithOnlyTheStationsNotYetHeld() {
    try (Stream<Observation> rows = DEMO.observations(FROM, TO)) {
      // Dongsi complete, Wanliu's first day only.
      store.upsertObservations(
          rows.filter(
                  o ->
                      o.stationId().equals("Dongsi")
                          || (o.stationId().equals("Wanliu")
                              && o.time().isBefore(FROM.plusSeconds(86_400))))
              .toList());
    }
    assertThat(store.countObservations()).isEqualTo(72 + 24);

    HistoryStatus done = new HistoryImport(store, DEMO, CLOCK, 500, ZONE).run(FROM, TO);

    assertThat(done.phase()).isEqualTo(Phase.DONE);
    assertThat(done.done()).isEqualTo(11 * 72);
    assertThat(done.total()).isEqualTo(11 * 72);
    assertThat(store.countObservations()).isEqualTo(12 * 72);
  }

  @Test
  void anInterruptedImportStopsBetweenBatchesAndSaysSo() {
    HistoryImport history = new HistoryImport(store, DEMO, CLOCK, 100, ZONE);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> history.run(FROM, TO))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("stopped before the import finished");
    } finally {
      Thread.interrupted();
    }
    assertThat(history.status().phase()).isEqualTo(Phase.FAILED);
    assertThat(history.status().finished()).isTrue();
    assertThat(history.status().detail())
        .isEqualTo(
            "history import of 2015-12-29T00:00 to 2016-01-01T00:00 failed: stopped before the"
                + " import finished");
  }

  @Test
  void aBatchSizeBelowOneIsRejected() {
    assertThatThrownBy(() -> new HistoryImport(store, DEMO, CLOCK, 0, ZONE))
        .hasMessage("batchSize: must be >= 1, was 0");
  }
}
