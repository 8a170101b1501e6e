package io.terrafield.ingest.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The Kafka client security settings every Terrafield client (Flink sources and sinks, producers,
 * consumers, admin clients) adds to its properties, read from the environment the Helm chart sets
 * from a Strimzi {@code KafkaUser} Secret or an external cluster's Secret:
 *
 * <ul>
 *   <li>{@value #PROTOCOL} → {@code security.protocol}: {@code PLAINTEXT} (default when unset),
 *       {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL};
 *   <li>{@value #MECHANISM} → {@code sasl.mechanism} (e.g. {@code SCRAM-SHA-512}); required with a
 *       {@code SASL_*} protocol;
 *   <li>{@value #JAAS} → {@code sasl.jaas.config}; required with a {@code SASL_*} protocol.
 * </ul>
 *
 * <p>Unset or blank variables add nothing, so the embedded demo broker (plaintext) needs none.
 * Immutable and thread-safe.
 */
public final class KafkaClientSecurity {

  /** Environment variable of the security protocol. */
  public static final String PROTOCOL = "TERRAFIELD_KAFKA_SECURITY_PROTOCOL";

  /** Environment variable of the SASL mechanism. */
  public static final String MECHANISM = "TERRAFIELD_KAFKA_SASL_MECHANISM";

  /** Environment variable of the SASL JAAS configuration. */
  public static final String JAAS = "TERRAFIELD_KAFKA_SASL_JAAS_CONFIG";

  private static final Set<String> PROTOCOLS =
      Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

  private static volatile KafkaClientSecurity environment;

  private final Map<String, String> properties;

  private KafkaClientSecurity(Map<String, String> properties) {
    this.properties = Map.copyOf(properties);
  }

  /**
   * The settings of this process's environment (read once).
   *
   * @throws IllegalArgumentException naming the variable and its value when they are invalid
   */
  public static KafkaClientSecurity environment() {
    KafkaClientSecurity e = environment;
    if (e == null) {
      e = from(System.getenv());
      environment = e;
    }
    return e;
  }

  /**
   * The settings of {@code env} (variable name → value).
   *
   * @throws IllegalArgumentException naming the variable and its value when the protocol is not one
   *     of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL, or a SASL protocol lacks its mechanism or JAAS
   *     configuration
   */
  static KafkaClientSecurity from(Map<String, String> env) {
    String protocol = value(env, PROTOCOL);
    String mechanism = value(env, MECHANISM);
    String jaas = value(env, JAAS);
    Map<String, String> p = new LinkedHashMap<>();
    if (protocol != null) {
      if (!PROTOCOLS.contains(protocol)) {
        throw new IllegalArgumentException(
            PROTOCOL
                + ": '"
                + protocol
                + "' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
      }
      p.put("security.protocol", protocol);
      if (protocol.startsWith("SASL_")) {
        if (mechanism == null) {
          throw new IllegalArgumentException(
              MECHANISM + " must be set with " + PROTOCOL + "='" + protocol + "'");
        }
        if (jaas == null) {
          throw new IllegalArgumentException(
              JAAS + " must be set with " + PROTOCOL + "='" + protocol + "'");
        }
      }
    }
    if (mechanism != null) {
      p.put("sasl.mechanism", mechanism);
    }
    if (jaas != null) {
      p.put("sasl.jaas.config", jaas);
    }
    return new KafkaClientSecurity(p);
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** The client properties to add (empty for a plaintext broker). */
  public Map<String, String> properties() {
    return properties;
  }

  /** Adds the settings to {@code clientProperties} and returns it. */
  public Properties applyTo(Properties clientProperties) {
    clientProperties.putAll(properties);
    return clientProperties;
  }

  /** {@code clientProperties} with the settings added (a new map). */
  public Map<String, String> with(Map<String, String> clientProperties) {
    Map<String, String> out = new LinkedHashMap<>(clientProperties);
    out.putAll(properties);
    return out;
  }

  /** The configuration of an admin client of {@code bootstrapServers} with the settings. */
  public Map<String, Object> adminConfig(String bootstrapServers) {
    Map<String, Object> out = new LinkedHashMap<>(properties);
    out.put("bootstrap.servers", bootstrapServers);
    return out;
  }

  @Override
  public String toString() {
    // Never print the JAAS configuration: it holds the password.
    return "KafkaClientSecurity" + properties.keySet();
  }
}
