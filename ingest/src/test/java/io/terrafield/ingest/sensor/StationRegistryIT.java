package io.terrafield.ingest.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.EmbeddedKafka;
import io.terrafield.ingest.kafka.KafkaTestClient;
import io.terrafield.store.Station;
import io.terrafield.store.StationVersion;
import io.terrafield.store.TerrafieldStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stations that come and go while the sensor job runs: a reading of an unregistered station is
 * rejected with its reason; once {@link StationRegistry} registers the station (store, then {@code
 * aq.stations}) its readings are stored, without a restart; a move is versioned in the store.
 */
class StationRegistryIT {

  static final Instant T0 = Instant.parse("2016-02-01T00:00:00Z");
  static final Station DONGSI = new Station("Dongsi", null, 116.417, 39.929, null, "beijing", null);
  static final Station NEW = new Station("Yizhuang", null, 116.5, 39.8, null, "beijing", null);

  @TempDir Path kafkaDir;

  static String reading(int hour) {
    return "{\"station\":\"Yizhuang\",\"time\":\""
        + T0.plus(Duration.ofHours(hour))
        + "\",\"pm25\":9}";
  }

  @Test
  void aNewStationIsAcceptedWithoutARestartAndAMoveIsVersioned() throws Exception {
    StoreSettings settings =
        new StoreSettings(
            "jdbc:h2:mem:registry-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "", "");
    Clock clock = Clock.fixed(Instant.parse("2016-03-01T00:00:00Z"), ZoneOffset.UTC);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir);
        TerrafieldStore store = settings.open()) {
      kafka.createTopics(
          List.of(
              Topics.OBSERVATIONS_RAW, Topics.OBSERVATIONS_REJECTED, Topics.OBSERVATIONS_HOURLY),
          1);
      String bootstrap = kafka.bootstrapServers();
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
      env.enableCheckpointing(500);
      SensorJobOptions options =
          SensorJobOptions.defaults(clock).withQuietClose(Duration.ofMillis(500));
      JobClient job =
          SensorJob.kafka(bootstrap, settings, List.of(DONGSI), options, false).executeAsync(env);
      try (StationRegistry registry = new StationRegistry(bootstrap, store, clock)) {
        int sent = 0;
        KafkaTestClient.produce(bootstrap, Topics.OBSERVATIONS_RAW, List.of(reading(sent++)));
        awaitRejection(bootstrap, "station: unknown station 'Yizhuang'");

        registry.register(List.of(NEW));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (store.countObservations("Yizhuang", T0, T0.plus(Duration.ofDays(30))) == 0) {
          assertThat(System.nanoTime())
              .as("a reading of the new station stored")
              .isLessThan(deadline);
          KafkaTestClient.produce(bootstrap, Topics.OBSERVATIONS_RAW, List.of(reading(sent++)));
          Thread.sleep(300);
        }
        Station moved =
            new Station("Yizhuang", "Yizhuang (moved)", 116.52, 39.79, null, "beijing", null);
        Clock later = Clock.offset(clock, Duration.ofDays(1));
        try (StationRegistry next = new StationRegistry(bootstrap, store, later)) {
          assertThat(next.register(List.of(moved))).hasSize(1);
        }
        assertThat(store.stationVersions("Yizhuang"))
            .extracting(StationVersion::version, v -> v.station().name(), StationVersion::current)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "Yizhuang", false),
                org.assertj.core.groups.Tuple.tuple(2, "Yizhuang (moved)", true));
        assertThat(store.station("Yizhuang")).contains(moved);
        assertThat(sent).isGreaterThan(1);
      } finally {
        job.cancel().get();
      }
    }
  }

  private static void awaitRejection(String bootstrap, String reason) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (KafkaTestClient.consumeCommitted(bootstrap, Topics.OBSERVATIONS_REJECTED).stream()
        .noneMatch(r -> r.value().contains(reason))) {
      assertThat(System.nanoTime()).as("rejection '%s'", reason).isLessThan(deadline);
      Thread.sleep(300);
    }
  }
}
