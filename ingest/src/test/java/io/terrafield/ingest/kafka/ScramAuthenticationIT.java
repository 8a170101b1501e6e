package io.terrafield.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SCRAM end to end: an in-process KRaft broker (Kafka's {@code KafkaClusterTestKit}, as {@link
 * EmbeddedKafka}) with a {@code SASL_PLAINTEXT} listener that accepts only {@code SCRAM-SHA-512},
 * like the chart's Strimzi listener with {@code kafka.strimzi.authentication: scram-sha-512}, and a
 * user created as Strimzi's User Operator does (a SCRAM credential in the cluster metadata). A
 * producer and a consumer whose security settings come only from the {@code TERRAFIELD_KAFKA_*}
 * variables through {@link KafkaClientSecurity} authenticate and round-trip a message; a wrong
 * password fails with Kafka's authentication error naming the mechanism.
 *
 * <p>The broker keeps a plaintext listener for itself (inter-broker traffic) and for the test's
 * admin client, which creates the user and the topic; the clients under test use only the SCRAM
 * listener.
 */
class ScramAuthenticationIT {

  private static final String SCRAM_LISTENER = "SCRAM";
  private static final String USER = "terrafield-sensor";
  private static final String PASSWORD = "s3cret-" + UUID.randomUUID();
  private static final String TOPIC = "aq.observations.raw";

  private static KafkaClusterTestKit cluster;
  private static String scramBootstrap;

  @BeforeAll
  static void startBrokerWithScramListener() throws Exception {
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .build();
    String broker = nodes.brokerListenerName().value();
    String controller = nodes.controllerListenerName().value();
    String scram = "listener.name." + SCRAM_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
    cluster =
        new KafkaClusterTestKit.Builder(nodes)
            .setConfigProp(
                "listeners",
                broker
                    + "://localhost:0,"
                    + controller
                    + "://localhost:0,"
                    + SCRAM_LISTENER
                    + "://localhost:0")
            .setConfigProp(
                "listener.security.protocol.map",
                broker
                    + ":PLAINTEXT,"
                    + controller
                    + ":PLAINTEXT,"
                    + SCRAM_LISTENER
                    + ":SASL_PLAINTEXT")
            .setConfigProp(scram + "sasl.enabled.mechanisms", "SCRAM-SHA-512")
            .setConfigProp(
                scram + "scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;")
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("num.partitions", "1")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    BrokerServer server = cluster.brokers().values().iterator().next();
    scramBootstrap = "localhost:" + server.boundPort(ListenerName.normalised(SCRAM_LISTENER));

    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      USER, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), PASSWORD)))
          .all()
          .get(30, TimeUnit.SECONDS);
      admin
          .createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      // The credential reaches the broker through the metadata log: wait until it describes it.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!admin.describeUserScramCredentials(List.of(USER)).all().get().containsKey(USER)) {
        assertThat(System.nanoTime()).as("SCRAM user visible within 30 s").isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The variables the chart sets from the KafkaUser Secret (JAAS line as Strimzi writes it). */
  private static Map<String, String> chartEnvironment(String password) {
    return Map.of(
        KafkaClientSecurity.PROTOCOL, "SASL_PLAINTEXT",
        KafkaClientSecurity.MECHANISM, "SCRAM-SHA-512",
        KafkaClientSecurity.JAAS,
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + USER
                + "\" password=\""
                + password
                + "\";");
  }

  private static Properties producerProperties(KafkaClientSecurity security) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, scramBootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
    return security.applyTo(p);
  }

  @Test
  void aProducerAndAConsumerConfiguredFromTheEnvironmentAuthenticateAndRoundTrip()
      throws Exception {
    KafkaClientSecurity security = KafkaClientSecurity.from(chartEnvironment(PASSWORD));
    assertThat(security.properties())
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    String value =
        "{\"station\":\"Aotizhongxin\",\"pm25\":42.0,\"id\":\"" + UUID.randomUUID() + "\"}";

    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerProperties(security))) {
      producer.send(new ProducerRecord<>(TOPIC, "Aotizhongxin", value)).get(30, TimeUnit.SECONDS);
    }

    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, scramBootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "terrafield-scram-test");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<String> read = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(security.applyTo(c))) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!read.contains(value) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
          read.add(r.value());
        }
      }
    }
    assertThat(read).contains(value);
  }

  @Test
  void aWrongPasswordFailsWithAnAuthenticationErrorNamingTheMechanism() {
    KafkaClientSecurity wrong = KafkaClientSecurity.from(chartEnvironment("not-" + PASSWORD));

    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(wrong))) {
      assertThatThrownBy(
              () ->
                  producer
                      .send(new ProducerRecord<>(TOPIC, "k", "never delivered"))
                      .get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(SaslAuthenticationException.class)
          .hasMessageContaining("invalid credentials")
          .hasMessageContaining("SCRAM-SHA-512");
    }
  }

  @Test
  void aClientWithoutTheVariablesCannotUseTheScramListener() {
    Properties p = producerProperties(KafkaClientSecurity.from(Map.of()));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      assertThatThrownBy(
              () ->
                  producer
                      .send(new ProducerRecord<>(TOPIC, "k", "never delivered"))
                      .get(30, TimeUnit.SECONDS))
          .as("a plaintext client gets no metadata from a SASL listener");
    }
  }
}
