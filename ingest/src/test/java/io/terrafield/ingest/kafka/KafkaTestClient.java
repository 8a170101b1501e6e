package io.terrafield.ingest.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces test messages (every one acknowledged, or the test fails) and reads topics back. */
public final class KafkaTestClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private KafkaTestClient() {}

  /** Sends {@code messages} in order to {@code topic} and waits for every acknowledgement. */
  public static void produce(String bootstrap, String topic, List<String> messages) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(EmbeddedKafka.MAX_MESSAGE_BYTES));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "120000");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      List<Future<?>> sent = new ArrayList<>();
      for (String m : messages) {
        sent.add(producer.send(new ProducerRecord<>(topic, m)));
      }
      producer.flush();
      for (Future<?> f : sent) {
        try {
          f.get(); // a lost message fails here, not as a puzzling count later
        } catch (Exception e) {
          throw new IllegalStateException("test producer could not send: " + e, e);
        }
      }
    }
  }

  /** Every message of {@code topic} as JSON, read until the topic has been quiet for 6 s. */
  public static List<JsonNode> consumeJson(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
        String.valueOf(EmbeddedKafka.MAX_MESSAGE_BYTES));
    List<JsonNode> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(topic));
      int emptyPolls = 0;
      while (emptyPolls < 3) {
        var records = consumer.poll(Duration.ofSeconds(2));
        if (records.isEmpty()) {
          emptyPolls++;
        }
        for (ConsumerRecord<String, String> r : records) {
          out.add(JSON.readTree(r.value()));
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("not JSON on " + topic + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Every committed message of {@code topic} ({@code isolation.level=read_committed}), read up to
   * the partitions' last stable offsets at the time of the call: no record of an aborted or open
   * transaction, and no waiting for quiet.
   */
  public static List<ConsumerRecord<String, String>> consumeCommitted(
      String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          out.add(r);
        }
      }
    }
    return out;
  }
}
