package io.terrafield.ingest.kafka;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * An exactly-once Kafka sink: records are written in Kafka transactions that commit once the
 * checkpoint holding them has completed; consumers with {@code isolation.level=read_committed} see
 * each record once, across failures and restarts.
 *
 * <p>Design (a write-ahead log in Flink state plus an idempotent commit): a writer buffers the
 * serialized records of one checkpoint interval and hands them over as one {@link Batch} when the
 * checkpoint starts; the batch is stored in the checkpoint by Flink's committer operator and
 * committed after the checkpoint completes — or, after a failure, when the job restores that
 * checkpoint. Each writer instance has a random id and numbers its batches 0, 1, 2, …; committing
 * batch {@code n} of writer {@code w} is one Kafka transaction (transactional id {@code prefix-w})
 * that sends the records and, atomically with them, commits offset {@code n + 1} of the consumer
 * group {@code prefix-w} on partition 0 of the topic — a marker, not a real consumer position. A
 * batch whose marker is already past {@code n} was committed before (the commit is retried after a
 * restore): it is skipped, so nothing is written twice. A transaction left open by a failed attempt
 * is aborted when the same transactional id is initialised again.
 *
 * <p>This replaces flink-connector-kafka's EXACTLY_ONCE mode, whose producer (5.0.0-2.2) calls a
 * Kafka client internal ({@code TransactionalRequestResult.await()}) that kafka-clients 4.3 no
 * longer has. Costs: records are visible one checkpoint interval late, and a batch is held in
 * memory and in the checkpoint until it is committed.
 */
public final class TransactionalKafkaSink<T>
    implements Sink<T>, SupportsCommitter<TransactionalKafkaSink.Batch> {

  private final String bootstrapServers;
  private final String topic;
  private final SerializationSchema<T> key;
  private final SerializationSchema<T> value;
  private final String transactionalIdPrefix;
  private final Map<String, String> producerProperties;

  /**
   * @param key the record key, or {@code null} (no key)
   * @param transactionalIdPrefix unique per job and sink on the cluster
   */
  public TransactionalKafkaSink(
      String bootstrapServers,
      String topic,
      SerializationSchema<T> key,
      SerializationSchema<T> value,
      String transactionalIdPrefix,
      Map<String, String> producerProperties) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.key = key;
    this.value = value;
    this.transactionalIdPrefix = transactionalIdPrefix;
    this.producerProperties = Map.copyOf(producerProperties);
  }

  /** The records of one writer instance between two checkpoints, the unit of commit. */
  public record Batch(String writerId, long sequence, List<byte[]> keys, List<byte[]> values) {}

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
    try {
      if (key != null) {
        key.open(context.asSerializationSchemaInitializationContext());
      }
      value.open(context.asSerializationSchemaInitializationContext());
    } catch (Exception e) {
      throw new IOException("cannot open the serializers of the sink to " + topic + ": " + e, e);
    }
    return new Writer();
  }

  @Override
  public Committer<Batch> createCommitter(CommitterInitContext context) {
    return new TransactionCommitter();
  }

  @Override
  public SimpleVersionedSerializer<Batch> getCommittableSerializer() {
    return new BatchSerializer();
  }

  private final class Writer implements CommittingSinkWriter<T, Batch> {
    private final String writerId = UUID.randomUUID().toString();
    private long sequence;
    private List<byte[]> keys = new ArrayList<>();
    private List<byte[]> values = new ArrayList<>();

    @Override
    public void write(T element, Context context) {
      keys.add(key == null ? null : key.serialize(element));
      values.add(value.serialize(element));
    }

    @Override
    public void flush(boolean endOfInput) {
      // Records are written by the committer once their checkpoint completes.
    }

    @Override
    public Collection<Batch> prepareCommit() {
      if (values.isEmpty()) {
        return List.of();
      }
      Batch batch = new Batch(writerId, sequence++, keys, values);
      keys = new ArrayList<>();
      values = new ArrayList<>();
      return List.of(batch);
    }

    @Override
    public void close() {}
  }

  private final class TransactionCommitter implements Committer<Batch> {
    private final Map<String, KafkaProducer<byte[], byte[]>> producers = new HashMap<>();
    private final Map<String, Long> markers = new HashMap<>();
    private Admin admin;

    @Override
    public void commit(Collection<CommitRequest<Batch>> requests)
        throws IOException, InterruptedException {
      List<CommitRequest<Batch>> ordered = new ArrayList<>(requests);
      ordered.sort(
          Comparator.comparing((CommitRequest<Batch> r) -> r.getCommittable().writerId())
              .thenComparingLong(r -> r.getCommittable().sequence()));
      for (CommitRequest<Batch> request : ordered) {
        Batch batch = request.getCommittable();
        if (marker(batch.writerId()) > batch.sequence()) {
          request.signalAlreadyCommitted();
          continue;
        }
        KafkaProducer<byte[], byte[]> producer = producer(batch.writerId());
        producer.beginTransaction();
        for (int i = 0; i < batch.values().size(); i++) {
          producer.send(new ProducerRecord<>(topic, batch.keys().get(i), batch.values().get(i)));
        }
        producer.sendOffsetsToTransaction(
            Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(batch.sequence() + 1)),
            new ConsumerGroupMetadata(group(batch.writerId())));
        producer.commitTransaction();
        markers.put(batch.writerId(), batch.sequence() + 1);
      }
    }

    private String group(String writerId) {
      return transactionalIdPrefix + "-" + writerId;
    }

    /** The next batch number of {@code writerId} that was not committed yet. */
    private long marker(String writerId) throws IOException, InterruptedException {
      Long known = markers.get(writerId);
      if (known != null) {
        return known;
      }
      if (admin == null) {
        Properties p = new Properties();
        // The client security settings of the producers (security.*, sasl.*, ssl.*), if any.
        producerProperties.forEach(
            (k, v) -> {
              if (k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")) {
                p.put(k, v);
              }
            });
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        admin = Admin.create(p);
      }
      try {
        OffsetAndMetadata committed =
            admin
                .listConsumerGroupOffsets(group(writerId))
                .partitionsToOffsetAndMetadata()
                .get()
                .get(new TopicPartition(topic, 0));
        long marker = committed == null ? 0 : committed.offset();
        markers.put(writerId, marker);
        return marker;
      } catch (ExecutionException e) {
        throw new IOException(
            "cannot read the commit marker of " + group(writerId) + ": " + e.getCause(), e);
      }
    }

    private KafkaProducer<byte[], byte[]> producer(String writerId) {
      return producers.computeIfAbsent(
          writerId,
          id -> {
            Properties p = new Properties();
            p.putAll(producerProperties);
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group(id));
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
            producer.initTransactions(); // aborts what a failed attempt left open
            return producer;
          });
    }

    @Override
    public void close() {
      producers.values().forEach(KafkaProducer::close);
      producers.clear();
      if (admin != null) {
        admin.close();
      }
    }
  }

  static final class BatchSerializer implements SimpleVersionedSerializer<Batch> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(Batch batch) throws IOException {
      // Sized up front: a batch holds a whole checkpoint interval of records.
      int size = 2 + batch.writerId().length() * 3 + 8 + 4;
      for (int i = 0; i < batch.values().size(); i++) {
        size += 8 + length(batch.keys().get(i)) + length(batch.values().get(i));
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeUTF(batch.writerId());
        out.writeLong(batch.sequence());
        out.writeInt(batch.values().size());
        for (int i = 0; i < batch.values().size(); i++) {
          writeBytes(out, batch.keys().get(i));
          writeBytes(out, batch.values().get(i));
        }
      }
      return bytes.toByteArray();
    }

    private static int length(byte[] b) {
      return b == null ? 0 : b.length;
    }

    @Override
    public Batch deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1) {
        throw new IOException("batch: unknown serializer version " + version);
      }
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        String writerId = in.readUTF();
        long sequence = in.readLong();
        int n = in.readInt();
        List<byte[]> keys = new ArrayList<>(n);
        List<byte[]> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          keys.add(readBytes(in));
          values.add(readBytes(in));
        }
        return new Batch(writerId, sequence, keys, values);
      }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
      out.writeInt(b == null ? -1 : b.length);
      if (b != null) {
        out.write(b);
      }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
      int n = in.readInt();
      if (n < 0) {
        return null;
      }
      byte[] b = new byte[n];
      in.readFully(b);
      return b;
    }
  }
}
