package io.terrafield.ingest.replay;

import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.KafkaClientSecurity;
import io.terrafield.ingest.sensor.ObservationJson;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes real observations to {@link Topics#OBSERVATIONS_RAW} as JSON readings, paced so that
 * data time runs {@code speedup} times faster than the clock (3600 = one hour of data per second).
 * A real Kafka producer, keyed by station id.
 *
 * <p>Pacing: the reading with data time {@code t} is sent when the clock has advanced {@code (t −
 * t0) / speedup} since the first reading {@code t0}, give or take {@link #MIN_PAUSE}. The clock and
 * the sleeper are injected so tests advance time without sleeping.
 */
public final class Replay {

  /** Sleeps for a duration; injected so that tests need not wait. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /**
   * Shorter waits are skipped: the replay runs at most this far ahead of its schedule, instead of
   * flushing the producer and sleeping for every millisecond step of a very fast replay (at a
   * speed-up of 10^9 the four Beijing years are 126 such steps, each a flush of in-flight batches).
   */
  static final Duration MIN_PAUSE = Duration.ofMillis(20);

  /**
   * Back-pressure from a consumer downstream (the demo: the forecast job), on data time. Asked
   * before each reading with its data time; while {@link #behind} is true the replay flushes and
   * waits, and its schedule moves by the time waited (the replay slows down, it does not burst
   * afterwards).
   */
  public interface Pacer {
    /**
     * Whether the replay must wait before sending a reading of data time {@code next} (cheap:
     * called before every reading).
     */
    boolean behind(Instant next);

    /** No back-pressure. */
    Pacer NONE = next -> false;
  }

  private final String bootstrapServers;
  private final double speedup;
  private final ZoneOffset localOffset;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Pacer pacer;

  public Replay(
      String bootstrapServers,
      double speedup,
      ZoneOffset localOffset,
      Clock clock,
      Sleeper sleeper) {
    this(bootstrapServers, speedup, localOffset, clock, sleeper, Pacer.NONE);
  }

  /** A replay that waits while {@code pacer} says the consumer downstream is behind. */
  public Replay(
      String bootstrapServers,
      double speedup,
      ZoneOffset localOffset,
      Clock clock,
      Sleeper sleeper,
      Pacer pacer) {
    if (!(speedup > 0)) {
      throw new IllegalArgumentException("speedup: must be > 0, was " + speedup);
    }
    this.bootstrapServers = bootstrapServers;
    this.speedup = speedup;
    this.localOffset = localOffset;
    this.clock = clock;
    this.sleeper = sleeper;
    this.pacer = pacer;
  }

  /**
   * Sends every observation of {@code observations} (ordered by time) and returns how many were
   * sent. {@code progress} receives the running count. Stops early when the thread is interrupted.
   */
  public long run(
      Iterator<Observation> observations, Map<String, Station> stations, LongConsumer progress) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    KafkaClientSecurity.environment().applyTo(props);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // Batching: up to 256 KiB per partition batch, lz4-compressed, after at most 5 ms; the
    // in-process broker then appends few large batches instead of many small ones.
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    AtomicLong sent = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    // The interrupt flag is restored only after the producer has closed, which it cannot do
    // cleanly while the flag is set.
    boolean interrupted = false;
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props);
    try {
      Instant dataStart = null;
      Instant wallStart = clock.instant();
      while (observations.hasNext()) {
        if (Thread.interrupted()) {
          interrupted = true;
          break;
        }
        Observation o = observations.next();
        if (dataStart == null) {
          dataStart = o.time();
        }
        if (pacer.behind(o.time())) {
          producer.flush();
          Instant pausedAt = clock.instant();
          try {
            while (pacer.behind(o.time())) {
              sleeper.sleep(MIN_PAUSE.multipliedBy(5));
            }
          } catch (InterruptedException e) {
            interrupted = true;
            break;
          }
          wallStart = wallStart.plus(Duration.between(pausedAt, clock.instant()));
        }
        long dataElapsedMs = Duration.between(dataStart, o.time()).toMillis();
        Instant due = wallStart.plusMillis((long) (dataElapsedMs / speedup));
        Duration wait = Duration.between(clock.instant(), due);
        if (wait.compareTo(MIN_PAUSE) >= 0) {
          producer.flush();
          try {
            sleeper.sleep(wait);
          } catch (InterruptedException e) {
            interrupted = true;
            break;
          }
        }
        byte[] json = ObservationJson.readingJsonBytes(o, stations.get(o.stationId()), localOffset);
        producer.send(
            new ProducerRecord<>(
                Topics.OBSERVATIONS_RAW, o.stationId().getBytes(StandardCharsets.UTF_8), json),
            (meta, err) -> {
              if (err != null) {
                failure.compareAndSet(null, err);
              }
            });
        if (failure.get() != null) {
          break;
        }
        progress.accept(sent.incrementAndGet());
      }
      producer.flush();
    } catch (InterruptException e) {
      interrupted = true; // shutdown while sending or flushing: stop quietly
    } finally {
      // Kafka's InterruptException sets the flag again; clear it so close() can join its thread.
      interrupted |= Thread.interrupted();
      producer.close(Duration.ofSeconds(5));
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      return sent.get();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "replay: Kafka did not accept a reading: " + failure.get().getMessage(), failure.get());
    }
    return sent.get();
  }
}
