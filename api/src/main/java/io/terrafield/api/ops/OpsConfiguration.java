package io.terrafield.api.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.terrafield.api.runtime.StreamingRuntime;
import io.terrafield.api.runtime.TerrafieldProperties;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the operations metrics: the forecast metrics read from the store (refreshed at most
 * every {@code terrafield.metrics.store-refresh}, default 30 s) and the bridge of the in-process
 * Flink jobs' counters.
 */
@Configuration(proxyBeanMethods = false)
class OpsConfiguration {

  @Bean
  ForecastMetrics forecastMetrics(
      TerrafieldStore store,
      TerrafieldProperties properties,
      Clock clock,
      @Value("${terrafield.metrics.store-refresh:30s}") Duration refresh) {
    List<Variable> variables =
        properties.forecast().variables().stream()
            .map(k -> Variable.byKey(k).orElse(null))
            .filter(v -> v != null && v.isPollutant())
            .toList();
    return new ForecastMetrics(
        new StoredForecasts(store), new AlertsRaised(store), variables, clock, refresh);
  }

  @Bean
  FlinkMetricsBinding flinkMetricsBinding(
      MeterRegistry registry, ObjectProvider<StreamingRuntime> runtime) {
    StreamingRuntime r = runtime.getIfAvailable();
    return r == null ? null : new FlinkMetricsBinding(registry, r.metricsScope());
  }

  /**
   * Attaches the registry to the counters of this application's Flink jobs (its streaming runtime's
   * metrics scope) while the application context lives.
   */
  static final class FlinkMetricsBinding implements DisposableBean {
    private final MeterRegistry registry;
    private final String scope;

    FlinkMetricsBinding(MeterRegistry registry, String scope) {
      this.registry = registry;
      this.scope = scope;
      FlinkMeters.scope(scope).attach(registry);
    }

    @Override
    public void destroy() {
      FlinkMeters.scope(scope).detach(registry);
      FlinkMeters.release(scope);
    }
  }
}
