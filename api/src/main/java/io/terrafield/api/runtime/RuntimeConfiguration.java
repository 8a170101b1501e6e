package io.terrafield.api.runtime;

import io.terrafield.ingest.StoreSettings;
import io.terrafield.store.Stores;
import io.terrafield.store.TerrafieldStore;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the store, the clock and the streaming runtime from {@link TerrafieldProperties}. */
@Configuration(proxyBeanMethods = false)
public class RuntimeConfiguration {

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  StoreSettings storeSettings(TerrafieldProperties properties) {
    TerrafieldProperties.Store s = properties.store();
    String url = s.url() == null || s.url().isBlank() ? Stores.EMBEDDED_URL : s.url();
    return new StoreSettings(url, s.user(), s.password());
  }

  @Bean(destroyMethod = "close")
  TerrafieldStore terrafieldStore(StoreSettings settings) {
    return settings.open();
  }

  /**
   * The data folder the embedded runtime and the replay read; a deployment that neither runs
   * embedded nor replays needs none (its stations are the store's), unless one is configured.
   */
  @Bean
  DemoData demoData(TerrafieldProperties properties) {
    boolean needed = properties.embedded() || properties.replay().enabled();
    return needed || properties.data() != null
        ? DemoData.resolve(properties.data())
        : DemoData.none();
  }

  @Bean
  @ConditionalOnProperty(
      name = "terrafield.streaming.enabled",
      havingValue = "true",
      matchIfMissing = true)
  StreamingRuntime streamingRuntime(
      TerrafieldProperties properties,
      TerrafieldStore store,
      StoreSettings settings,
      DemoData demoData,
      Clock clock) {
    return new StreamingRuntime(properties, store, settings, demoData, clock);
  }
}
