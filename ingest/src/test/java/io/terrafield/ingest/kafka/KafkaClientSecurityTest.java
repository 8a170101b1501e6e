package io.terrafield.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaClientSecurityTest {

  private static final String JAAS_VALUE =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"api\""
          + " password=\"secret\";";

  @Test
  void anUnsetEnvironmentAddsNothing() {
    assertThat(KafkaClientSecurity.from(Map.of()).properties()).isEmpty();
    assertThat(KafkaClientSecurity.from(Map.of(KafkaClientSecurity.PROTOCOL, " ")).properties())
        .isEmpty();
  }

  @Test
  void scramSettingsReachTheClientProperties() {
    KafkaClientSecurity s =
        KafkaClientSecurity.from(
            Map.of(
                KafkaClientSecurity.PROTOCOL, "SASL_PLAINTEXT",
                KafkaClientSecurity.MECHANISM, "SCRAM-SHA-512",
                KafkaClientSecurity.JAAS, JAAS_VALUE));
    Properties p = s.applyTo(new Properties());
    assertThat(p)
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", JAAS_VALUE);
    assertThat(s.with(Map.of("bootstrap.servers", "kafka:9092")))
        .containsEntry("bootstrap.servers", "kafka:9092")
        .containsEntry("security.protocol", "SASL_PLAINTEXT");
    assertThat(s.toString()).doesNotContain("secret");
  }

  @Test
  void badSettingsAreRefusedByName() {
    assertThatThrownBy(
            () -> KafkaClientSecurity.from(Map.of(KafkaClientSecurity.PROTOCOL, "SASL_TLS")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TERRAFIELD_KAFKA_SECURITY_PROTOCOL")
        .hasMessageContaining("'SASL_TLS'");
    assertThatThrownBy(
            () -> KafkaClientSecurity.from(Map.of(KafkaClientSecurity.PROTOCOL, "SASL_SSL")))
        .hasMessageContaining("TERRAFIELD_KAFKA_SASL_MECHANISM must be set");
    assertThatThrownBy(
            () ->
                KafkaClientSecurity.from(
                    Map.of(
                        KafkaClientSecurity.PROTOCOL, "SASL_SSL",
                        KafkaClientSecurity.MECHANISM, "SCRAM-SHA-512")))
        .hasMessageContaining("TERRAFIELD_KAFKA_SASL_JAAS_CONFIG must be set");
  }
}
