package io.terrafield.ingest.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.EmbeddedKafka;
import io.terrafield.ingest.kafka.KafkaConnectors;
import io.terrafield.ingest.kafka.KafkaTestClient;
import io.terrafield.ingest.store.StoreSink;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop with a savepoint and resume with a changed parallelism: the unbounded sensor job (Kafka
 * source, parallelism 2) reads the first half of a stream and is stopped with a savepoint while
 * hours are still open; the second half is produced and the job resumes from the savepoint with
 * parallelism 3 (keyed state redistributed), then is stopped with a draining savepoint (all hours
 * closed). The store and the committed topics hold every record exactly once.
 */
class SensorJobSavepointIT {

  static final String GROUP = "savepoint-test";

  @TempDir static Path kafkaDir;
  @TempDir static Path savepoints;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(kafkaDir);
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  SensorJob job(StoreSettings settings, List<Station> stations, Clock clock) {
    return new SensorJob(
        KafkaConnectors.textSource(kafka.bootstrapServers(), Topics.OBSERVATIONS_RAW, GROUP, false),
        List.of(
            StoreSink.observations(settings, stations, clock),
            SensorJob.hourlyTopicSink(kafka.bootstrapServers(), stations)),
        SensorJob.rejectedTopicSink(kafka.bootstrapServers()),
        stations,
        SensorJobOptions.defaults(clock).withQuietClose(Duration.ZERO));
  }

  /** Waits (no deadline assertion) until the job's committed offsets reach the topic's end. */
  static void awaitConsumed() throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
        var partitions =
            admin
                .describeTopics(List.of(Topics.OBSERVATIONS_RAW))
                .allTopicNames()
                .get()
                .get(Topics.OBSERVATIONS_RAW)
                .partitions();
        boolean done = true;
        for (var info : partitions) {
          TopicPartition tp = new TopicPartition(Topics.OBSERVATIONS_RAW, info.partition());
          long end =
              admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
          OffsetAndMetadata c = committed.get(tp);
          done &= c != null && c.offset() >= end;
        }
        if (done) {
          return;
        }
        Thread.sleep(200);
      }
    }
  }

  @Test
  void stopsWithASavepointAndResumesWithAnotherParallelismExactly() throws Exception {
    kafka.createTopics(
        List.of(Topics.OBSERVATIONS_RAW, Topics.OBSERVATIONS_REJECTED, Topics.OBSERVATIONS_HOURLY),
        2);
    SensorJobCrashIT.Input input = SensorJobCrashIT.input(40_000);
    List<String> messages = input.messages();
    List<Station> stations = SensorJobCrashIT.stations();
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    String url = "jdbc:h2:mem:savepoint-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    StoreSettings settings = new StoreSettings(url, "", "");
    try (TerrafieldStore store = settings.open()) {
      KafkaTestClient.produce(
          kafka.bootstrapServers(),
          Topics.OBSERVATIONS_RAW,
          messages.subList(0, messages.size() / 2));
      StreamExecutionEnvironment first = StreamExecutionEnvironment.createLocalEnvironment(2);
      first.enableCheckpointing(300);
      JobClient run1 = job(settings, stations, clock).executeAsync(first);
      awaitConsumed();
      String savepoint =
          run1.stopWithSavepoint(
                  false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
              .get();
      long rowsAtSavepoint = store.countObservations();

      KafkaTestClient.produce(
          kafka.bootstrapServers(),
          Topics.OBSERVATIONS_RAW,
          messages.subList(messages.size() / 2, messages.size()));
      // The restore path goes into the environment's configuration: the local executor replaces a
      // StreamGraph's own savepoint settings with the configuration's.
      Configuration restore = new Configuration();
      restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
      StreamExecutionEnvironment second =
          StreamExecutionEnvironment.createLocalEnvironment(3, restore);
      second.enableCheckpointing(300);
      JobClient run2 = job(settings, stations, clock).executeAsync(second);
      awaitConsumed();
      run2.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
          .get();

      long accepted = 0;
      long rows = 0;
      for (Station s : stations) {
        for (Observation o :
            store.observations(
                s.id(), SensorJobCrashIT.T0, SensorJobCrashIT.T0.plus(Duration.ofDays(400)))) {
          rows++;
          accepted += o.sampleCount();
          double[] sc = input.pm25SumAndCountByKey().get(SensorJobCrashIT.key(s.id(), o.time()));
          assertThat(o.sampleCount()).isEqualTo((int) sc[1]);
          assertThat(o.value(Variable.PM25)).isCloseTo(sc[0] / sc[1], SensorJobCrashIT.within());
        }
      }
      var hourly =
          KafkaTestClient.consumeCommitted(kafka.bootstrapServers(), Topics.OBSERVATIONS_HOURLY);
      Set<String> keys = new HashSet<>();
      hourly.forEach(r -> keys.add(r.key()));
      var rejected =
          KafkaTestClient.consumeCommitted(kafka.bootstrapServers(), Topics.OBSERVATIONS_REJECTED);
      long readingRejections =
          rejected.stream().filter(r -> r.value().contains("\"scope\":\"reading\"")).count();
      long hours = input.pm25SumAndCountByKey().size();
      System.out.printf(
          Locale.ROOT,
          "savepoint test: in %d = accepted %d + rejected %d; store rows %d (%d at the savepoint),"
              + " committed hourly %d (distinct %d), committed rejections %d; expected"
              + " station-hours %d%n",
          messages.size(),
          accepted,
          readingRejections,
          rows,
          rowsAtSavepoint,
          hourly.size(),
          keys.size(),
          rejected.size(),
          hours);
      assertThat(rowsAtSavepoint).isPositive().isLessThan(hours);
      assertThat(accepted + readingRejections).isEqualTo(messages.size());
      assertThat(accepted).isEqualTo(input.readings());
      assertThat(readingRejections).isEqualTo(input.duplicates() + input.malformed());
      assertThat(rejected)
          .hasSize((int) readingRejections + input.badOzone() + input.duplicatedBadOzone());
      assertThat(rows).isEqualTo(hours);
      assertThat(hourly).hasSize((int) hours);
      assertThat(keys).hasSize((int) hours);
    }
  }
}
