package io.terrafield.ingest.kafka;

import io.terrafield.ingest.sensor.ObservationJson;
import io.terrafield.ingest.sensor.Rejection;
import io.terrafield.ingest.sensor.StationUpdate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka sources and sinks every Terrafield job uses: a text source that resumes from the
 * group's committed offsets (else the earliest) and loses no message, and JSON sinks (exactly-once
 * through Kafka transactions, or at-least-once).
 */
public final class KafkaConnectors {

  private static final String MAX_BYTES = String.valueOf(EmbeddedKafka.MAX_MESSAGE_BYTES);

  /** Longer than any checkpoint interval plus restart, shorter than the broker's 15 min cap. */
  private static final String TRANSACTION_TIMEOUT_MS = String.valueOf(10 * 60 * 1000);

  private KafkaConnectors() {}

  /**
   * A source of the messages of {@code topic} as UTF-8 text. With {@code bounded} it stops at the
   * offsets that are latest when the job starts (tests and back-fills).
   */
  public static KafkaSource<String> textSource(
      String bootstrapServers, String topic, String groupId, boolean bounded) {
    var builder =
        KafkaSource.<String>builder()
            .setBootstrapServers(bootstrapServers)
            .setTopics(topic)
            .setGroupId(groupId)
            .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
            .setValueOnlyDeserializer(new Utf8Deserializer())
            .setProperties(KafkaClientSecurity.environment().applyTo(new Properties()))
            .setProperty("fetch.max.bytes", MAX_BYTES)
            .setProperty("max.partition.fetch.bytes", MAX_BYTES);
    if (bounded) {
      builder.setBounded(OffsetsInitializer.latest());
    }
    return builder.build();
  }

  /**
   * A source of the station registry {@code topic} (compacted), always from its beginning so the
   * job learns every station; with {@code bounded} it stops at the offsets latest at start. A
   * message that is not a valid station is logged and skipped (it has no reading to reject).
   */
  public static KafkaSource<StationUpdate> stationSource(
      String bootstrapServers, String topic, String groupId, boolean bounded) {
    var builder =
        KafkaSource.<StationUpdate>builder()
            .setBootstrapServers(bootstrapServers)
            .setTopics(topic)
            .setGroupId(groupId)
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setProperties(KafkaClientSecurity.environment().applyTo(new Properties()))
            .setDeserializer(new StationUpdateDeserializer());
    if (bounded) {
      builder.setBounded(OffsetsInitializer.latest());
    }
    return builder.build();
  }

  /** Creates {@code topic} as a compacted topic (one partition) unless it exists. */
  public static void ensureCompactedTopic(String bootstrapServers, String topic) {
    try (Admin admin =
        Admin.create(KafkaClientSecurity.environment().adminConfig(bootstrapServers))) {
      if (!admin.listTopics().names().get().contains(topic)) {
        int brokers = admin.describeCluster().nodes().get().size();
        NewTopic t =
            new NewTopic(topic, 1, (short) Math.min(3, Math.max(1, brokers)))
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact"));
        admin.createTopics(List.of(t)).all().get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating " + topic, e);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("could not create " + topic + ": " + e.getCause(), e);
      }
    }
  }

  /** An at-least-once sink to {@code topic}; {@code key} may be {@code null} (no key). */
  public static <T> Sink<T> sink(
      String bootstrapServers,
      String topic,
      SerializationSchema<T> key,
      SerializationSchema<T> value) {
    return sink(bootstrapServers, topic, key, value, null);
  }

  /**
   * A sink to {@code topic}: exactly-once when {@code transactionalIdPrefix} is given (a {@link
   * TransactionalKafkaSink}: records are written in Kafka transactions committed with each
   * completed checkpoint; readers use {@code isolation.level=read_committed}; the prefix must be
   * unique per job and sink on the cluster), else at-least-once. {@code key} may be {@code null}.
   */
  public static <T> Sink<T> sink(
      String bootstrapServers,
      String topic,
      SerializationSchema<T> key,
      SerializationSchema<T> value,
      String transactionalIdPrefix) {
    if (transactionalIdPrefix != null) {
      return new TransactionalKafkaSink<>(
          bootstrapServers,
          topic,
          key,
          value,
          transactionalIdPrefix,
          KafkaClientSecurity.environment()
              .with(
                  Map.of(
                      "max.request.size",
                      MAX_BYTES,
                      "transaction.timeout.ms",
                      TRANSACTION_TIMEOUT_MS,
                      "linger.ms",
                      "5",
                      "batch.size",
                      String.valueOf(256 * 1024))));
    }
    var serializer =
        KafkaRecordSerializationSchema.<T>builder()
            .setTopic(topic)
            .setValueSerializationSchema(value);
    if (key != null) {
      serializer.setKeySerializationSchema(key);
    }
    return KafkaSink.<T>builder()
        .setBootstrapServers(bootstrapServers)
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .setKafkaProducerConfig(KafkaClientSecurity.environment().applyTo(new Properties()))
        .setProperty("max.request.size", MAX_BYTES)
        .setRecordSerializer(serializer.build())
        .build();
  }

  /** An exactly-once sink of rejections to a dead-letter topic (see {@link #sink}). */
  public static Sink<Rejection> rejectionSink(
      String bootstrapServers, String topic, String transactionalIdPrefix) {
    return sink(bootstrapServers, topic, null, new RejectionSerializer(), transactionalIdPrefix);
  }

  /** An at-least-once sink of rejections to a dead-letter topic. */
  public static Sink<Rejection> rejectionSink(String bootstrapServers, String topic) {
    return rejectionSink(bootstrapServers, topic, null);
  }

  /**
   * Keeps the raw bytes as text; a null (tombstone) message becomes the empty string, so it is
   * rejected with a reason instead of being dropped. Invalid UTF-8 becomes U+FFFD.
   */
  static final class Utf8Deserializer implements DeserializationSchema<String> {
    @Override
    public String deserialize(byte[] message) {
      return message == null ? "" : new String(message, StandardCharsets.UTF_8);
    }

    @Override
    public boolean isEndOfStream(String nextElement) {
      return false;
    }

    @Override
    public TypeInformation<String> getProducedType() {
      return Types.STRING;
    }
  }

  static final class StationUpdateDeserializer
      implements KafkaRecordDeserializationSchema<StationUpdate> {
    private static final Logger LOG = LoggerFactory.getLogger(StationUpdateDeserializer.class);

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<StationUpdate> out) {
      try {
        out.collect(StationUpdate.parse(record.key(), record.value()));
      } catch (IllegalArgumentException e) {
        LOG.warn("aq.stations offset {}: skipped: {}", record.offset(), e.getMessage());
      }
    }

    @Override
    public TypeInformation<StationUpdate> getProducedType() {
      return TypeInformation.of(StationUpdate.class);
    }
  }

  static final class RejectionSerializer implements SerializationSchema<Rejection> {
    @Override
    public byte[] serialize(Rejection r) {
      return ObservationJson.rejectionJson(r).getBytes(StandardCharsets.UTF_8);
    }
  }
}
