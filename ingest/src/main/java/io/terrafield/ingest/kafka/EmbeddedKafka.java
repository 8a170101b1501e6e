package io.terrafield.ingest.kafka;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real, single-node Kafka broker (KRaft, combined broker + controller) running inside this JVM,
 * for tests and the embedded demo runtime. It is the broker of Apache Kafka itself, started through
 * Kafka's {@code KafkaClusterTestKit}; clients connect to {@link #bootstrapServers()} over loopback
 * exactly as they would to an external cluster.
 *
 * <p>Not thread-safe for start/stop; the running broker is used by any number of clients.
 */
public final class EmbeddedKafka implements AutoCloseable {

  /** Largest message the embedded broker accepts (Kafka's default is 1 MiB). */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final KafkaClusterTestKit cluster;

  private EmbeddedKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /** Formats the storage under a temporary directory (or {@code baseDir}) and starts the broker. */
  public static EmbeddedKafka start(Path baseDir) {
    try {
      TestKitNodes.Builder nodes =
          new TestKitNodes.Builder()
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1);
      if (baseDir != null) {
        nodes.setBaseDirectory(baseDir);
      }
      KafkaClusterTestKit cluster =
          new KafkaClusterTestKit.Builder(nodes.build())
              .setConfigProp("offsets.topic.replication.factor", "1")
              .setConfigProp("offsets.topic.num.partitions", "1")
              .setConfigProp("transaction.state.log.replication.factor", "1")
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              .setConfigProp("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES))
              .setConfigProp("replica.fetch.max.bytes", String.valueOf(MAX_MESSAGE_BYTES))
              .setConfigProp("num.partitions", "1")
              .build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new EmbeddedKafka(cluster);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the embedded Kafka broker", e);
    } catch (Exception e) {
      throw new IllegalStateException("could not start the embedded Kafka broker: " + e, e);
    }
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** Creates the topics that do not exist yet, each with {@code partitions} partitions. */
  public void createTopics(Collection<String> topics, int partitions) {
    createTopics(bootstrapServers(), topics, partitions);
  }

  /** Creates missing topics on any cluster (replication factor 1 when the cluster has 1 broker). */
  public static void createTopics(
      String bootstrapServers, Collection<String> topics, int partitions) {
    try (Admin admin =
        Admin.create(KafkaClientSecurity.environment().adminConfig(bootstrapServers))) {
      Set<String> existing = admin.listTopics().names().get();
      int brokers = admin.describeCluster().nodes().get().size();
      short replication = (short) Math.min(3, Math.max(1, brokers));
      List<NewTopic> missing =
          topics.stream()
              .filter(t -> !existing.contains(t))
              .map(
                  t ->
                      new NewTopic(t, partitions, replication)
                          .configs(Map.of("max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES))))
              .collect(Collectors.toList());
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not create topics " + topics + ": " + e.getCause(), e);
    }
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the embedded Kafka broker: " + e, e);
    }
  }
}
