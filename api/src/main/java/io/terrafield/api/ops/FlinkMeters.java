package io.terrafield.api.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;

/**
 * Where Flink's reporters (created by Flink, not by Spring) meet the application's {@link
 * MeterRegistry}s: counters reported while no registry is attached are kept and registered once one
 * attaches; a removed counter (a cancelled or restarted job) leaves every registry, so a restarted
 * job's fresh counter takes its place. One per metrics scope ({@link #scope}): Flink instantiates
 * reporters by class name, so the scope (one per application's streaming runtime, passed in the
 * reporter's configuration) keeps the counters of two applications in one JVM apart. Without it, a
 * second application's sensor job (same job name, same subtask tags) would be published in the
 * first application's registry under the same Micrometer id, and the registry would keep whichever
 * came first. Thread-safe (all methods synchronized; they run only as jobs start and stop).
 */
final class FlinkMeters {

  private static final Map<String, FlinkMeters> SCOPES = new ConcurrentHashMap<>();

  /** The bridge of one metrics scope, created on first use. */
  static FlinkMeters scope(String id) {
    return SCOPES.computeIfAbsent(id, k -> new FlinkMeters());
  }

  /** Forgets a scope whose application has closed. */
  static void release(String id) {
    SCOPES.remove(id);
  }

  private record Bridged(String name, Tags tags, Counter counter) {}

  private final Map<String, Bridged> counters = new LinkedHashMap<>();
  private final Map<MeterRegistry, Map<String, Meter>> registries = new HashMap<>();

  synchronized void add(String id, String name, Tags tags, Counter counter) {
    remove(id);
    Bridged b = new Bridged(name, tags, counter);
    counters.put(id, b);
    registries.forEach((registry, meters) -> meters.put(id, register(registry, b)));
  }

  synchronized void remove(String id) {
    if (counters.remove(id) != null) {
      registries.forEach(
          (registry, meters) -> {
            Meter m = meters.remove(id);
            if (m != null) {
              registry.remove(m);
            }
          });
    }
  }

  /** Publishes the current and future counters in {@code registry}. */
  synchronized void attach(MeterRegistry registry) {
    Map<String, Meter> meters = new HashMap<>();
    counters.forEach((id, b) -> meters.put(id, register(registry, b)));
    registries.put(registry, meters);
  }

  /** Stops publishing in {@code registry} (its application context closes). */
  synchronized void detach(MeterRegistry registry) {
    Map<String, Meter> meters = registries.remove(registry);
    if (meters != null) {
      meters.values().forEach(registry::remove);
    }
  }

  /** The Micrometer names of the counters bridged now, for tests and diagnostics. */
  synchronized List<String> names() {
    return new ArrayList<>(counters.values().stream().map(Bridged::name).distinct().toList());
  }

  private static Meter register(MeterRegistry registry, Bridged b) {
    return FunctionCounter.builder(b.name(), b.counter(), Counter::getCount)
        .tags(b.tags())
        .description("Terrafield Flink counter " + b.name())
        .register(registry);
  }
}
