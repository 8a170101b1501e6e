package io.terrafield.api.health;

import io.terrafield.api.runtime.StreamingRuntime;
import io.terrafield.ingest.kafka.KafkaClientSecurity;
import io.terrafield.store.TerrafieldStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health indicators for the readiness probe ({@code /actuator/health/readiness}, group in
 * application.yml): {@code store} answers a query, {@code kafka} describes its cluster within two
 * seconds (unknown when the streaming runtime is off). Liveness ({@code /actuator/health/liveness})
 * is Spring Boot's own application state.
 */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(2);

  @Bean
  HealthIndicator store(TerrafieldStore store) {
    return () -> {
      try {
        long n = store.countObservations();
        return Health.up()
            .withDetail("dialect", store.dialect().name())
            .withDetail("observations", n)
            .build();
      } catch (RuntimeException e) {
        return Health.down().withDetail("error", e.getMessage()).build();
      }
    };
  }

  @Bean
  HealthIndicator kafka(ObjectProvider<StreamingRuntime> runtime) {
    return () -> {
      StreamingRuntime r = runtime.getIfAvailable();
      if (r == null) {
        return Health.unknown().withDetail("reason", "streaming runtime disabled").build();
      }
      if (!r.isRunning()) {
        return Health.down().withDetail("reason", "streaming runtime not running").build();
      }
      Map<String, Object> config =
          KafkaClientSecurity.environment().adminConfig(r.bootstrapServers());
      config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
      config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
      try (Admin admin = Admin.create(config)) {
        int brokers =
            admin
                .describeCluster(
                    new DescribeClusterOptions().timeoutMs((int) KAFKA_TIMEOUT.toMillis()))
                .nodes()
                .get(KAFKA_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS)
                .size();
        return Health.up().withDetail("brokers", brokers).build();
      } catch (Exception e) {
        return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
      }
    };
  }
}
