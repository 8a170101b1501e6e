package io.terrafield.api.ops;

import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Creates the reporter that bridges Terrafield's Flink metrics into Micrometer; found by Flink
 * through {@code META-INF/services} when {@link #configure} named it in the configuration of a
 * local (MiniCluster) environment, so the counters of jobs that run in the api's JVM appear at
 * {@code /actuator/prometheus}. Jobs on a Flink cluster report through the cluster's own reporters
 * (e.g. Flink's Prometheus reporter) instead.
 */
public final class FlinkMetricsReporterFactory implements MetricReporterFactory {

  static final String NAME = "terrafield-micrometer";

  static final String SCOPE = "scope";

  /**
   * Names this reporter in {@code conf} (the configuration of a local environment), reporting to
   * the registries attached to {@code scope} (the streaming runtime's {@code metricsScope()}).
   */
  public static void configure(Configuration conf, String scope) {
    conf.setString(
        "metrics.reporter." + NAME + ".factory.class", FlinkMetricsReporterFactory.class.getName());
    conf.setString("metrics.reporter." + NAME + "." + SCOPE, scope);
  }

  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    return new FlinkMetricsReporter(FlinkMeters.scope(properties.getProperty(SCOPE, "")));
  }
}
