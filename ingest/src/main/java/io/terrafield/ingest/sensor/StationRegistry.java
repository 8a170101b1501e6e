package io.terrafield.ingest.sensor;

import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.KafkaClientSecurity;
import io.terrafield.ingest.kafka.KafkaConnectors;
import io.terrafield.store.ObservationStore;
import io.terrafield.store.Station;
import io.terrafield.store.StationVersion;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Registers stations while the sensor job runs: each registration is written to the store first
 * ({@code stations} and the versioned {@code station_versions}), then published on the compacted
 * topic {@link Topics#STATIONS}, which the job reads as broadcast state. The store goes first so
 * that the readings the job accepts once it sees the station can be stored (observations reference
 * their station). Registering an unchanged station publishes nothing; retiring a station publishes
 * a tombstone (the store keeps the station and its history). Not thread-safe.
 */
public final class StationRegistry implements AutoCloseable {

  private final ObservationStore store;
  private final Clock clock;
  private final KafkaProducer<byte[], byte[]> producer;

  public StationRegistry(String bootstrapServers, ObservationStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    KafkaConnectors.ensureCompactedTopic(bootstrapServers, Topics.STATIONS);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    KafkaClientSecurity.environment().applyTo(p);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(p);
  }

  /**
   * Registers {@code stations} as of now (the clock): new or changed ones get a new version in the
   * store and are published. Returns the versions written.
   */
  public List<StationVersion> register(Collection<Station> stations) {
    Instant now = clock.instant();
    List<StationVersion> written = store.registerStations(stations, now);
    for (StationVersion v : written) {
      send(StationUpdate.of(v.station(), v.validFrom()));
    }
    return written;
  }

  /** Retires station {@code id}: the job rejects its readings as from an unknown station. */
  public void retire(String id) {
    send(StationUpdate.retired(id));
  }

  private void send(StationUpdate update) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.STATIONS, update.id().getBytes(StandardCharsets.UTF_8), update.value()))
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing station " + update.id(), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "could not publish station "
              + update.id()
              + " on "
              + Topics.STATIONS
              + ": "
              + e.getCause(),
          e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
