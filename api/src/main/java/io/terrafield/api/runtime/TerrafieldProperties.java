package io.terrafield.api.runtime;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the runtime ({@code terrafield.*} in application.yml, a {@code --config} file or
 * {@code --terrafield.x=y} arguments).
 *
 * @param mode {@code embedded}: in-process Kafka broker, Flink MiniCluster and H2GIS store; {@code
 *     external}: the Kafka, store and Flink given below
 * @param data the folder laid out like shared/data (its {@code airquality/beijing} is replayed)
 * @param kafka where Kafka is (ignored in embedded mode)
 * @param store the JDBC URL and credentials of the store
 * @param flink where the jobs run
 * @param replay whether and how fast to replay the real Beijing data into Kafka
 */
@ConfigurationProperties("terrafield")
public record TerrafieldProperties(
    String mode, Path data, Kafka kafka, Store store, Flink flink, Replay replay) {

  public TerrafieldProperties {
    mode = mode == null ? "embedded" : mode;
    if (!mode.equals("embedded") && !mode.equals("external")) {
      throw new IllegalArgumentException(
          "terrafield.mode: '" + mode + "' is not one of embedded, external");
    }
    kafka = kafka == null ? new Kafka(null, 3) : kafka;
    store = store == null ? new Store(null, "", "") : store;
    flink = flink == null ? new Flink("local", 2, Duration.ofSeconds(5)) : flink;
    replay = replay == null ? new Replay(true, 3600, null, null) : replay;
  }

  public boolean embedded() {
    return mode.equals("embedded");
  }

  /**
   * @param bootstrapServers e.g. {@code kafka:9092}; @param partitions of topics we create
   */
  public record Kafka(String bootstrapServers, int partitions) {}

  /**
   * @param url JDBC URL; {@code jdbc:h2:mem:terrafield} by default in embedded mode
   */
  public record Store(String url, String user, String password) {}

  /**
   * @param target {@code local} (a MiniCluster in this JVM) or {@code none} (the jobs run on a
   *     Flink cluster, e.g. deployed by the Flink Kubernetes Operator from the Helm chart)
   * @param parallelism parallelism of the local jobs
   * @param checkpointInterval how often the local jobs checkpoint
   */
  public record Flink(String target, int parallelism, Duration checkpointInterval) {}

  /**
   * @param enabled replay the Beijing data at startup
   * @param speedup data time per wall time (3600: one hour of data per second)
   * @param from first local date-time replayed (ISO, e.g. 2013-03-01T00:00), or the start
   * @param to local date-time to stop before, or the end
   */
  public record Replay(boolean enabled, double speedup, String from, String to) {}
}
