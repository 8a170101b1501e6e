package io.terrafield.api.forecasts;

import io.terrafield.api.runtime.StreamingRuntime;
import io.terrafield.api.runtime.TerrafieldProperties;
import io.terrafield.store.TerrafieldStore;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the {@link ForecastTrainer}: the training thread whose artifacts the Flink forecast job
 * serves (the only forecasting engine; the api reads the issues from the store).
 */
@Configuration(proxyBeanMethods = false)
public class ForecastConfiguration {

  /** Trains the fields the forecast job serves; the embedded replay waits for the first one. */
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
    if (runtime != null && properties.forecast().holdReplay()) {
      runtime.holdReplayUntil(trainer.firstArtifactOrNone());
    }
    return trainer;
  }
}
