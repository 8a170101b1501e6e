package io.terrafield.api.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.api.TerrafieldApplication;
import io.terrafield.api.runtime.HistoryStatus.Phase;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.importers.BeijingImporter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The warm start of {@code terrafield demo} on the demo-data slice with a persistent (file) H2GIS
 * store: the 3 days before the replay start 2016-01-01T00:00 (local, the forecast's default) are
 * imported into the store before the replay, which then streams from 2016-01-01 on; a second start
 * on the same store imports nothing and the history's counts stay those of the data.
 */
class WarmStartIT {

  static final Path DEMO = Path.of("../demo-data").toAbsolutePath();
  static final Instant HISTORY_FROM =
      LocalDateTime.parse("2015-12-29T00:00").toInstant(BeijingImporter.LOCAL_OFFSET);
  static final Instant REPLAY_FROM =
      LocalDateTime.parse("2016-01-01T00:00").toInstant(BeijingImporter.LOCAL_OFFSET);

  @Test
  void theHistoryIsImportedBeforeTheReplayAndNotAgainOnARestart(@TempDir Path dir)
      throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("terrafield").toAbsolutePath();
    long inData;
    try (Stream<Observation> rows =
        DemoData.resolve(DEMO).observations(HISTORY_FROM, REPLAY_FROM)) {
      inData = rows.count();
    }
    assertThat(inData).isEqualTo(12 * 72);

    try (ConfigurableApplicationContext app = start(url)) {
      StreamingRuntime runtime = app.getBean(StreamingRuntime.class);
      HistoryStatus status = runtime.historyFinished().get(180, TimeUnit.SECONDS);

      assertThat(status.phase()).as(status.detail()).isEqualTo(Phase.DONE);
      assertThat(status.from()).isEqualTo(HISTORY_FROM);
      assertThat(status.to()).isEqualTo(REPLAY_FROM);
      assertThat(status.done()).isEqualTo(inData);
      assertThat(status.detail())
          .startsWith(
              "Imported 864 readings of 72 hours of history (from 2015-12-29T00:00 to"
                  + " 2016-01-01T00:00) in ");
      assertThat(runtime.historyStatus()).isEqualTo(status);
      TerrafieldStore store = app.getBean(TerrafieldStore.class);
      assertThat(historyHeld(store)).isEqualTo(inData);
      for (Station s : store.stations()) {
        List<Observation> rows = store.observations(s.id(), HISTORY_FROM, REPLAY_FROM);
        assertThat(rows).as(s.id()).hasSize(72);
        assertThat(rows.get(71).time()).isEqualTo(REPLAY_FROM.minus(Duration.ofHours(1)));
        assertThat(store.observations(s.id(), Instant.EPOCH, HISTORY_FROM)).isEmpty();
      }

      // The replay then streams the rest, from the replay start on (Kafka, the sensor job).
      long deadline = System.nanoTime() + 150_000_000_000L;
      while (System.nanoTime() < deadline && store.countObservations() == inData) {
        Thread.sleep(500);
      }
      assertThat(store.countObservations()).isGreaterThan(inData);
      assertThat(store.observations("Dongsi", REPLAY_FROM, REPLAY_FROM.plusSeconds(1))).hasSize(1);
      assertThat(historyHeld(store)).isEqualTo(inData);
    }

    try (ConfigurableApplicationContext again = start(url)) {
      StreamingRuntime runtime = again.getBean(StreamingRuntime.class);
      HistoryStatus status = runtime.historyFinished().get(180, TimeUnit.SECONDS);

      assertThat(status.phase()).as(status.detail()).isEqualTo(Phase.SKIPPED);
      assertThat(status.detail())
          .startsWith(
              "the store already holds the 864 readings of 2015-12-29T00:00 to 2016-01-01T00:00"
                  + " (12 stations): not imported again");
      assertThat(historyHeld(again.getBean(TerrafieldStore.class))).isEqualTo(inData);
    }
  }

  static long historyHeld(TerrafieldStore store) {
    long n = 0;
    for (Station s : store.stations()) {
      n += store.observations(s.id(), HISTORY_FROM, REPLAY_FROM).size();
    }
    return n;
  }

  static ConfigurableApplicationContext start(String storeUrl) {
    return SpringApplication.run(
        TerrafieldApplication.class,
        "--server.port=0",
        "--terrafield.mode=embedded",
        "--terrafield.data=" + DEMO,
        "--terrafield.store.url=" + storeUrl,
        "--terrafield.store.user=sa",
        "--terrafield.history.days=3",
        // With forecasting off, 'auto' replays from the data start; the demo's forecast start:
        "--terrafield.replay.from=2016-01-01T00:00",
        "--terrafield.replay.speedup=36000",
        "--terrafield.flink.checkpoint-interval=1s",
        "--terrafield.forecast.enabled=false");
  }
}
