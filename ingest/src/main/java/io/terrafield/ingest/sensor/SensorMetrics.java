package io.terrafield.ingest.sensor;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The sensor job's Flink metrics, in the operator's group {@value #GROUP}: {@code readingsValid}
 * (parsed and validated), {@code readingsAccepted} (counted into an hourly observation), {@code
 * readingsLate} (their hour had closed) and {@code readingsRejected} per {@code reason} (the
 * rejected field, e.g. {@code station}, {@code time}, {@code payload}, {@code pm25}; {@code
 * duplicate}; {@code late}) and {@code scope} ({@code reading}: the whole message, {@code
 * variable}: one value dropped). A metric reporter (the api's bridge to Micrometer, or any Flink
 * reporter) publishes them. Not thread-safe: one instance per operator subtask.
 */
final class SensorMetrics {

  /** The user scope under which the job's metrics are registered. */
  static final String GROUP = "terrafield";

  private final MetricGroup group;
  private final Map<String, Counter> rejected = new HashMap<>();

  SensorMetrics(MetricGroup operatorGroup) {
    this.group = operatorGroup.addGroup(GROUP);
  }

  /** A counter named {@code name} in this group. */
  Counter counter(String name) {
    return group.counter(name);
  }

  /** Counts one rejection under its reason (field) and scope. */
  void rejected(Rejection r) {
    rejected(r.field() == null ? "payload" : r.field(), r.scope());
  }

  /** Counts one rejection under {@code reason} and {@code scope}. */
  void rejected(String reason, String scope) {
    rejected
        .computeIfAbsent(
            reason + '|' + scope,
            k ->
                group
                    .addGroup("reason", reason)
                    .addGroup("scope", scope)
                    .counter("readingsRejected"))
        .inc();
  }
}
