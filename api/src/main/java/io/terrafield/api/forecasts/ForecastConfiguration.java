package io.terrafield.api.forecasts;

import io.terrafield.api.alerts.AlertBroadcaster;
import io.terrafield.api.runtime.StreamingRuntime;
import io.terrafield.api.runtime.TerrafieldProperties;
import io.terrafield.store.TerrafieldStore;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the {@link ForecastService}: Kafka is the streaming runtime's broker when it runs, else
 * {@code terrafield.kafka.bootstrap-servers} (none: no Kafka publication).
 */
@Configuration(proxyBeanMethods = false)
public class ForecastConfiguration {

  @Bean
  ForecastService forecastService(
      TerrafieldStore store,
      TerrafieldProperties properties,
      Clock clock,
      ObjectProvider<StreamingRuntime> streaming,
      AlertBroadcaster broadcaster) {
    ForecastService service =
        new ForecastService(
            store,
            properties.forecast(),
            clock,
            () -> {
              StreamingRuntime runtime = streaming.getIfAvailable();
              return runtime != null
                  ? runtime.bootstrapServers()
                  : properties.kafka().bootstrapServers();
            },
            broadcaster,
            () -> {
              StreamingRuntime runtime = streaming.getIfAvailable();
              return runtime != null ? runtime.historyStatus() : null;
            });
    StreamingRuntime runtime = streaming.getIfAvailable();
    if (runtime != null
        && properties.forecast().holdReplay()
        && !properties.forecast().jobEngine()) {
      runtime.holdReplayUntil(service.firstFieldOrNone());
    }
    return service;
  }

  /** Trains the fields the forecast job serves ({@code terrafield.forecast.engine=job}). */
  @Bean
  ForecastTrainer forecastTrainer(
      TerrafieldStore store,
      TerrafieldProperties properties,
      Clock clock,
      ObjectProvider<StreamingRuntime> streaming) {
    ForecastTrainer trainer =
        new ForecastTrainer(
            store,
            properties.forecast(),
            clock,
            () -> {
              StreamingRuntime runtime = streaming.getIfAvailable();
              return runtime != null ? runtime.historyStatus() : null;
            });
    StreamingRuntime runtime = streaming.getIfAvailable();
    if (runtime != null
        && properties.forecast().holdReplay()
        && properties.forecast().jobEngine()) {
      runtime.holdReplayUntil(trainer.firstArtifactOrNone());
    }
    return trainer;
  }
}
