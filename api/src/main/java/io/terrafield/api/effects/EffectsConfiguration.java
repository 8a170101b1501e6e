package io.terrafield.api.effects;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.terrafield.store.TerrafieldStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The effect worker pool: {@code terrafield.effects.workers} low-priority daemon threads (default
 * 1) and at most {@code terrafield.effects.capacity} requests queued or running (default 8).
 */
@Configuration(proxyBeanMethods = false)
class EffectsConfiguration {

  /**
   * The pool, monitored by Micrometer's {@link ExecutorServiceMetrics} under the name {@code
   * effects}: {@code executor.active} (running), {@code executor.queued}, {@code
   * executor.pool.size}, {@code executor.completed} with tag {@code name=effects}.
   */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService effectWorkers(
      @Value("${terrafield.effects.workers:1}") int workers, MeterRegistry meters) {
    if (workers < 1) {
      throw new IllegalArgumentException(
          "terrafield.effects.workers: must be at least 1, was " + workers);
    }
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            workers,
            workers,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "effects-" + n.incrementAndGet());
              t.setDaemon(true);
              t.setPriority(Thread.MIN_PRIORITY);
              return t;
            });
    new ExecutorServiceMetrics(pool, "effects", List.of()).bindTo(meters);
    return pool;
  }

  @Bean
  EffectService effectService(
      TerrafieldStore store,
      ExecutorService effectWorkers,
      @Value("${terrafield.effects.capacity:8}") int capacity,
      Clock clock,
      MeterRegistry meters) {
    return new EffectService(store, effectWorkers, capacity, clock, meters);
  }
}
