package io.terrafield.api.ops;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * Hands the Flink counters registered under the user scope {@value #GROUP} (see the sensor job's
 * {@code SensorMetrics}) to {@link FlinkMeters}, which publishes them as Micrometer counters named
 * {@code terrafield.flink.<metric in dots>} (e.g. {@code readingsRejected} → {@code
 * terrafield.flink.readings.rejected}, in Prometheus {@code
 * terrafield_flink_readings_rejected_total}) with the tags {@code job}, {@code subtask} and the
 * groups' own keys ({@code reason}, {@code scope}). Flink's built-in metrics are left out. Called
 * by Flink's metric registry thread.
 */
final class FlinkMetricsReporter implements MetricReporter {

  static final String GROUP = "terrafield";

  private final FlinkMeters meters;

  FlinkMetricsReporter(FlinkMeters meters) {
    this.meters = meters;
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
    if (metric instanceof Counter counter && inTerrafieldScope(group)) {
      meters.add(group.getMetricIdentifier(name), meterName(name), tags(group), counter);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
    if (metric instanceof Counter && inTerrafieldScope(group)) {
      meters.remove(group.getMetricIdentifier(name));
    }
  }

  private static boolean inTerrafieldScope(MetricGroup group) {
    return List.of(group.getScopeComponents()).contains(GROUP);
  }

  /** {@code readingsRejected} → {@code terrafield.flink.readings.rejected}. */
  static String meterName(String flinkName) {
    return "terrafield.flink." + flinkName.replaceAll("([a-z0-9])([A-Z])", "$1.$2").toLowerCase();
  }

  /** The job, the subtask and the user-defined key-value groups (reason, scope). */
  static Tags tags(MetricGroup group) {
    List<Tag> tags = new ArrayList<>();
    for (Map.Entry<String, String> v : group.getAllVariables().entrySet()) {
      String key = v.getKey().replaceAll("^<|>$", "");
      switch (key) {
        case "job_name" -> tags.add(Tag.of("job", v.getValue()));
        case "subtask_index" -> tags.add(Tag.of("subtask", v.getValue()));
        case "reason", "scope" -> tags.add(Tag.of(key, v.getValue()));
        default -> {
          // host, task and operator ids: not needed to tell the series apart
        }
      }
    }
    return Tags.of(tags);
  }
}
