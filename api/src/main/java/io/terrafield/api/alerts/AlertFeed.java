package io.terrafield.api.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.KafkaClientSecurity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Feeds {@link AlertBroadcaster} from the Kafka topic {@code aq.alerts}: every api instance runs
 * its own consumer (a consumer group of its own, no committed offsets) from the end of the topic,
 * so every instance streams every new alert to its clients and none produces one. Structured
 * CloudEvents (the JSON value) and binary ones ({@code ce_*} headers, the data as value) are both
 * read; a message that is neither is logged and skipped. No Kafka configured: no feed.
 */
public final class AlertFeed implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(AlertFeed.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<String> bootstrapServers;
  private final AlertBroadcaster broadcaster;
  private final CountDownLatch assigned = new CountDownLatch(1);
  private volatile KafkaConsumer<String, String> consumer;
  private volatile Thread thread;
  private volatile boolean running;

  /**
   * @param bootstrapServers where Kafka is, asked at start; null or blank: no feed
   */
  public AlertFeed(Supplier<String> bootstrapServers, AlertBroadcaster broadcaster) {
    this.bootstrapServers = bootstrapServers;
    this.broadcaster = broadcaster;
  }

  /** Waits until the consumer has its partitions (alerts published after it are delivered). */
  public boolean awaitAssigned(Duration timeout) throws InterruptedException {
    return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void start() {
    running = true;
    String servers = bootstrapServers.get();
    if (servers == null || servers.isBlank()) {
      LOG.info("No Kafka configured: /alerts/stream carries no alerts from {}", Topics.ALERTS);
      return;
    }
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    KafkaClientSecurity.environment().applyTo(p);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "terrafield-api-sse-" + UUID.randomUUID());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "terrafield-api-sse");
    KafkaConsumer<String, String> c = new KafkaConsumer<>(p);
    consumer = c;
    thread = new Thread(() -> run(c), "terrafield-alert-feed");
    thread.setDaemon(true);
    thread.start();
  }

  private void run(KafkaConsumer<String, String> c) {
    try (c) {
      c.subscribe(
          List.of(Topics.ALERTS),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              partitions.forEach(c::position); // fixes the start offsets (latest) now
              assigned.countDown();
            }
          });
      while (running) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
          String event = structured(r);
          if (event == null) {
            LOG.warn("Skipped an {} message that is no CloudEvent: {}", Topics.ALERTS, r.value());
            continue;
          }
          broadcaster.publish(JSON.readTree(event).get("id").asText(), event);
        }
      }
    } catch (WakeupException e) {
      // stop() wakes the consumer
    } catch (Exception e) {
      LOG.warn("The {} feed of /alerts/stream stopped: {}", Topics.ALERTS, e.toString());
    }
  }

  /** The structured CloudEvents JSON of a message, or null. */
  static String structured(ConsumerRecord<String, String> r) {
    try {
      Header id = r.headers().lastHeader("ce_id");
      if (id == null) {
        JsonNode event = r.value() == null ? null : JSON.readTree(r.value());
        return event != null && event.hasNonNull("id") && event.hasNonNull("specversion")
            ? r.value()
            : null;
      }
      ObjectNode event = JSON.createObjectNode();
      for (Header h : r.headers()) {
        if (h.key().startsWith("ce_")) {
          event.put(h.key().substring(3), new String(h.value(), StandardCharsets.UTF_8));
        }
      }
      Header type = r.headers().lastHeader("content-type");
      if (type != null) {
        event.put("datacontenttype", new String(type.value(), StandardCharsets.UTF_8));
      }
      if (r.value() != null) {
        event.set("data", JSON.readTree(r.value()));
      }
      return JSON.writeValueAsString(event);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  @Override
  public void stop() {
    running = false;
    KafkaConsumer<String, String> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    Thread t = thread;
    if (t != null) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    consumer = null;
    thread = null;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    // After the streaming runtime (its Kafka broker) starts, stopped before it.
    return Integer.MAX_VALUE - 1536;
  }
}
