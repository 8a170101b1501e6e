package io.terrafield.ingest.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a crash: the sensor job (parallelism 2, checkpoints every 300 ms,
 * transactional Kafka sinks, idempotent store upserts) reads a stream of readings with duplicates,
 * malformed messages, implausible variables and out-of-order neighbours; its store sink throws once
 * mid-stream after checkpoints have been taken, Flink restarts the job from the last checkpoint,
 * and afterwards the store and the committed topics hold every record exactly once: in = accepted +
 * rejected readings, one row and one committed hourly message per station-hour with the right mean,
 * one committed rejection per bad reading and per bad variable.
 *
 * <p>The size is {@code -Dterrafield.crash.readings} (default 100,000, about a minute on a 2-core
 * machine; the 1,000,000 runs the same test with {@code
 * -Dterrafield.crash.readings=1000000}).
 */
class SensorJobCrashIT {

  static final int READINGS = Integer.getInteger("terrafield.crash.readings", 100_000);
  static final int STATIONS = 100;
  static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();

  /** Shared with the sink writers: the MiniCluster runs in this JVM. */
  static final AtomicBoolean FAILED = new AtomicBoolean();

  static final AtomicLong WRITTEN = new AtomicLong();
  static final AtomicInteger CHECKPOINT_FLUSHES = new AtomicInteger();
  static final AtomicInteger WRITERS_OPENED = new AtomicInteger();

  @TempDir static Path kafkaDir;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(kafkaDir);
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  /** The readings, and what the job must make of them. */
  record Input(
      List<String> messages,
      int readings,
      int duplicates,
      int malformed,
      int badOzone,
      int duplicatedBadOzone,
      Map<String, double[]> pm25SumAndCountByKey) {}

  static String key(String station, Instant hour) {
    return station + "|" + hour;
  }

  static Input input(int readings) {
    List<String> messages = new ArrayList<>(readings + readings / 500);
    Map<String, double[]> expected = new HashMap<>();
    int duplicates = 0;
    int malformed = 0;
    int badOzone = 0;
    int duplicatedBadOzone = 0;
    List<String> pending = new ArrayList<>();
    for (int i = 0; i < readings; i++) {
      int minute = i / STATIONS;
      String station = String.format(Locale.ROOT, "S%03d", i % STATIONS);
      Instant time = T0.plusSeconds(60L * minute);
      double pm25 = (i * 7919L) % 3000 / 10.0;
      boolean ozoneAbsurd = i % 97 == 0;
      String o3 = ozoneAbsurd ? "1500" : String.valueOf(i % 200);
      String message =
          "{\"station\":\""
              + station
              + "\",\"time\":\""
              + time
              + "\",\"pm25\":"
              + pm25
              + ",\"o3\":"
              + o3
              + ",\"temp\":"
              + (i % 300) / 10.0
              + "}";
      badOzone += ozoneAbsurd ? 1 : 0;
      double[] sc =
          expected.computeIfAbsent(
              key(station, time.truncatedTo(java.time.temporal.ChronoUnit.HOURS)),
              k -> new double[2]);
      sc[0] += pm25;
      sc[1]++;
      pending.add(message);
      if (i % 1000 == 999) {
        pending.add(message); // re-delivered right away: a duplicate
        duplicates++;
        // Validated before it is found to be a duplicate: its bad O3 is rejected a second time.
        duplicatedBadOzone += ozoneAbsurd ? 1 : 0;
      }
      if (i % 5000 == 2500) {
        pending.add("{\"station\":\"" + station + "\",\"n\":" + i + ",\"time\":"); // malformed
        malformed++;
      }
      if (pending.size() >= 2 * STATIONS) {
        // Out of order: the two minutes of this block arrive newest first.
        messages.addAll(pending.subList(pending.size() / 2, pending.size()));
        messages.addAll(pending.subList(0, pending.size() / 2));
        pending.clear();
      }
    }
    messages.addAll(pending);
    return new Input(
        messages, readings, duplicates, malformed, badOzone, duplicatedBadOzone, expected);
  }

  static List<Station> stations() {
    List<Station> stations = new ArrayList<>();
    for (int s = 0; s < STATIONS; s++) {
      stations.add(
          new Station(
              String.format(Locale.ROOT, "S%03d", s),
              null,
              116 + s / 100.0,
              39.9,
              null,
              "synthetic",
              null));
    }
    return stations;
  }

  /** Wraps a sink; its writers throw once, mid-stream, after two checkpoints were prepared. */
  static final class FailingOnceSink<T> implements Sink<T> {
    private final Sink<T> delegate;
    private final long failAfter;

    FailingOnceSink(Sink<T> delegate, long failAfter) {
      this.delegate = delegate;
      this.failAfter = failAfter;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws java.io.IOException {
      WRITERS_OPENED.incrementAndGet();
      SinkWriter<T> writer = delegate.createWriter(context);
      return new SinkWriter<>() {
        @Override
        public void write(T element, Context ctx) throws java.io.IOException, InterruptedException {
          if (WRITTEN.incrementAndGet() >= failAfter
              && CHECKPOINT_FLUSHES.get() >= 4
              && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure after " + WRITTEN.get() + " hours");
          }
          writer.write(element, ctx);
        }

        @Override
        public void flush(boolean endOfInput) throws java.io.IOException, InterruptedException {
          if (!endOfInput) {
            CHECKPOINT_FLUSHES.incrementAndGet();
          }
          writer.flush(endOfInput);
        }

        @Override
        public void close() throws Exception {
          writer.close();
        }
      };
    }
  }

  @Test
  void aFailureMidStreamRestartsFromTheCheckpointAndLosesAndDuplicatesNothing() throws Exception {
    kafka.createTopics(
        List.of(Topics.OBSERVATIONS_RAW, Topics.OBSERVATIONS_REJECTED, Topics.OBSERVATIONS_HOURLY),
        2);
    Input input = input(READINGS);
    KafkaTestClient.produce(kafka.bootstrapServers(), Topics.OBSERVATIONS_RAW, input.messages());
    List<Station> stations = stations();

    String url = "jdbc:h2:mem:crash-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    StoreSettings settings = new StoreSettings(url, "", "");
    try (TerrafieldStore store = settings.open()) {
      Configuration conf = new Configuration();
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
      env.enableCheckpointing(300);
      Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
      SensorJobOptions options = SensorJobOptions.defaults(clock).withQuietClose(Duration.ZERO);
      long hours = input.pm25SumAndCountByKey().size();
      new SensorJob(
              KafkaConnectors.textSource(
                  kafka.bootstrapServers(), Topics.OBSERVATIONS_RAW, "crash-test", true),
              List.of(
                  new FailingOnceSink<>(
                      StoreSink.observations(settings, stations, clock), hours / 2),
                  SensorJob.hourlyTopicSink(kafka.bootstrapServers(), stations)),
              SensorJob.rejectedTopicSink(kafka.bootstrapServers()),
              stations,
              options)
          .execute(env);
      assertThat(FAILED).as("the injected failure happened").isTrue();

      // The store: one row per station-hour with the right mean; samples add up to the readings.
      long accepted = 0;
      long rows = 0;
      for (Station s : stations) {
        for (Observation o : store.observations(s.id(), T0, T0.plus(Duration.ofDays(400)))) {
          rows++;
          accepted += o.sampleCount();
          double[] sc = input.pm25SumAndCountByKey().get(key(s.id(), o.time()));
          assertThat(o.sampleCount()).isEqualTo((int) sc[1]);
          assertThat(o.value(Variable.PM25)).isCloseTo(sc[0] / sc[1], within());
        }
      }

      // The committed topics: every hour once, every rejection once.
      var hourly =
          KafkaTestClient.consumeCommitted(kafka.bootstrapServers(), Topics.OBSERVATIONS_HOURLY);
      Set<String> hourlyKeys = new HashSet<>();
      hourly.forEach(r -> hourlyKeys.add(r.key()));
      var rejected =
          KafkaTestClient.consumeCommitted(kafka.bootstrapServers(), Topics.OBSERVATIONS_REJECTED);
      long readingRejections = 0;
      long variableRejections = 0;
      Set<String> distinctRejections = new HashSet<>();
      for (var r : rejected) {
        JsonNode j = JSON.readTree(r.value());
        if (j.get("scope").asText().equals(Rejection.READING)) {
          readingRejections++;
        } else {
          variableRejections++;
          assertThat(j.get("reason").asText())
              .isEqualTo("o3: 1500 is outside the plausible range [0, 1000] µg/m³");
        }
        distinctRejections.add(j.get("scope").asText() + j.get("reason") + j.get("payload"));
      }
      System.out.printf(
          Locale.ROOT,
          "crash test: in %d = accepted %d + rejected %d (duplicates %d, malformed %d);"
              + " variable rejections %d (o3 of %d readings, %d of them duplicated); store rows %d, committed hourly %d (distinct keys"
              + " %d), committed rejections %d (distinct %d); expected station-hours %d;"
              + " sink writers opened %d (2 before, 2 after the restart)%n",
          input.messages().size(),
          accepted,
          readingRejections,
          input.duplicates(),
          input.malformed(),
          variableRejections,
          input.badOzone(),
          input.duplicatedBadOzone(),
          rows,
          hourly.size(),
          hourlyKeys.size(),
          rejected.size(),
          distinctRejections.size(),
          hours,
          WRITERS_OPENED.get());

      assertThat(accepted + readingRejections).isEqualTo(input.messages().size());
      assertThat(accepted).isEqualTo(input.readings());
      assertThat(readingRejections).isEqualTo(input.duplicates() + input.malformed());
      assertThat(variableRejections).isEqualTo(input.badOzone() + input.duplicatedBadOzone());
      assertThat(rows).isEqualTo(hours);
      assertThat(hourly).hasSize((int) hours);
      assertThat(hourlyKeys).hasSize((int) hours);
      assertThat(rejected).hasSize((int) (readingRejections + variableRejections));
      assertThat(distinctRejections).hasSize(rejected.size() - input.duplicatedBadOzone());
      assertThat(WRITERS_OPENED.get()).isGreaterThanOrEqualTo(4);
    }
  }

  static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
