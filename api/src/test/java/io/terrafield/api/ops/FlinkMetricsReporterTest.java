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

  /**
   * Two applications in one JVM (e.g. test contexts) each run a sensor job with the same name and
   * subtask tags: each registry publishes its own application's counter, never the other's (the CI
   * failure of stop 19: a flood test's registry showed another context's count, 48 for 107,725).
   */
  @Test
  void twoApplicationsInOneJvmKeepTheirCountersApart() {
    SimpleMeterRegistry first = new SimpleMeterRegistry();
    SimpleMeterRegistry second = new SimpleMeterRegistry();
    FlinkMeters.scope("first").attach(first);
    FlinkMeters.scope("second").attach(second);
    try {
      java.util.Properties p1 = new java.util.Properties();
      p1.setProperty(FlinkMetricsReporterFactory.SCOPE, "first");
      java.util.Properties p2 = new java.util.Properties();
      p2.setProperty(FlinkMetricsReporterFactory.SCOPE, "second");
      FlinkMetricsReporterFactory factory = new FlinkMetricsReporterFactory();
      Group accepted =
          new Group(
              new String[] {"host", "taskmanager", "job", "validate", "0", "terrafield"},
              Map.of("<job_name>", "terrafield-sensor-job", "<subtask_index>", "0"));
      SimpleCounter c1 = new SimpleCounter();
      c1.inc(107_725);
      SimpleCounter c2 = new SimpleCounter();
      c2.inc(48);
      // the second application's job registers first, as it may in a shared test JVM
      factory.createMetricReporter(p2).notifyOfAddedMetric(c2, "readingsAccepted", accepted);
      factory.createMetricReporter(p1).notifyOfAddedMetric(c1, "readingsAccepted", accepted);

      assertThat(first.get("terrafield.flink.readings.accepted").functionCounter().count())
          .isEqualTo(107_725);
      assertThat(second.get("terrafield.flink.readings.accepted").functionCounter().count())
          .isEqualTo(48);
      assertThat(first.getMeters()).hasSize(1);
    } finally {
      FlinkMeters.scope("first").detach(first);
      FlinkMeters.scope("second").detach(second);
      FlinkMeters.release("first");
      FlinkMeters.release("second");
    }
  }

  @Test
  void flinkNamesBecomeDottedLowerCase() {
    assertThat(FlinkMetricsReporter.meterName("readingsAccepted"))
        .isEqualTo("terrafield.flink.readings.accepted");
    assertThat(FlinkMetricsReporter.meterName("late")).isEqualTo("terrafield.flink.late");
  }
}
