package io.terrafield.api.alerts;

import io.terrafield.api.runtime.StreamingRuntime;
import io.terrafield.api.runtime.TerrafieldProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the {@link AlertFeed}: Kafka is the streaming runtime's broker when it runs, else {@code
 * terrafield.kafka.bootstrap-servers} (none: no feed).
 */
@Configuration(proxyBeanMethods = false)
public class AlertsConfiguration {

  @Bean
  AlertFeed alertFeed(
      TerrafieldProperties properties,
      ObjectProvider<StreamingRuntime> streaming,
      AlertBroadcaster broadcaster) {
    return new AlertFeed(
        () -> {
          StreamingRuntime runtime = streaming.getIfAvailable();
          return runtime != null
              ? runtime.bootstrapServers()
              : properties.kafka().bootstrapServers();
        },
        broadcaster);
  }
}
