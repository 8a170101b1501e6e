package io.terrafield.api.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/**
 * The reporter bridges only the counters under the {@code terrafield} user scope, named and tagged
 * for Prometheus; counters follow attach, detach and removal.
 */
class FlinkMetricsReporterTest {

  /** A group as Flink builds it for a key-value user group under an operator. */
  static final class Group extends UnregisteredMetricsGroup {
    private final String[] scope;
    private final Map<String, String> variables;

    Group(String[] scope, Map<String, String> variables) {
      this.scope = scope;
      this.variables = variables;
    }

    @Override
    public String[] getScopeComponents() {
      return scope;
    }

    @Override
    public Map<String, String> getAllVariables() {
      return variables;
    }

    @Override
    public String getMetricIdentifier(String metricName) {
      return String.join(".", scope) + "." + metricName;
    }
  }

  @Test
  void terrafieldCountersBecomeTaggedMicrometerCountersAndOthersAreLeftOut() {
    FlinkMeters meters = new FlinkMeters();
    FlinkMetricsReporter reporter = new FlinkMetricsReporter(meters);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    meters.attach(registry);
    Group rejected =
        new Group(
            new String[] {
              "host",
              "taskmanager",
              "job",
              "validate",
              "0",
              "terrafield",
              "reason",
              "station",
              "scope",
              "reading"
            },
            Map.of(
                "<job_name>", "terrafield-sensor-job",
                "<subtask_index>", "0",
                "<host>", "localhost",
                "<reason>", "station",
                "<scope>", "reading"));
    Group builtIn =
        new Group(new String[] {"host", "taskmanager", "job", "validate", "0"}, Map.of());
    SimpleCounter counter = new SimpleCounter();
    counter.inc(3);
    reporter.notifyOfAddedMetric(counter, "readingsRejected", rejected);
    reporter.notifyOfAddedMetric(new SimpleCounter(), "numRecordsIn", builtIn);

    assertThat(
            registry
                .get("terrafield.flink.readings.rejected")
                .tags("job", "terrafield-sensor-job", "subtask", "0", "reason", "station")
                .tag("scope", "reading")
                .functionCounter()
                .count())
        .isEqualTo(3);
    assertThat(registry.getMeters()).hasSize(1);
    counter.inc();
    assertThat(registry.get("terrafield.flink.readings.rejected").functionCounter().count())
        .isEqualTo(4);

    SimpleMeterRegistry later = new SimpleMeterRegistry();
    meters.attach(later);
    assertThat(later.get("terrafield.flink.readings.rejected").functionCounter().count())
        .isEqualTo(4);
    meters.detach(later);
    assertThat(later.getMeters()).isEmpty();

    reporter.notifyOfRemovedMetric(counter, "readingsRejected", rejected);
    assertThat(registry.getMeters()).isEmpty();
    assertThat(meters.names()).isEmpty();
  }

  @Test
  void flinkNamesBecomeDottedLowerCase() {
    assertThat(FlinkMetricsReporter.meterName("readingsAccepted"))
        .isEqualTo("terrafield.flink.readings.accepted");
    assertThat(FlinkMetricsReporter.meterName("late")).isEqualTo("terrafield.flink.late");
  }
}
