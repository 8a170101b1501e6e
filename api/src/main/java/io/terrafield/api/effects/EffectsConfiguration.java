package io.terrafield.api.effects;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.terrafield.store.TerrafieldStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The effect worker pool: {@code terrafield.effects.workers} daemon threads (default 1) at Linux
 * nice value {@code terrafield.effects.nice} (default 19, the lowest CPU priority; see {@link
 * LowPriority}), a queue bounded by {@code terrafield.effects.capacity} (default 8: requests queued
 * or running at once), and the check that refuses {@code POST /effects} with 503 while the pool is
 * full, before the body is read.
 */
@Configuration(proxyBeanMethods = false)
class EffectsConfiguration {

  /**
   * The pool, monitored by Micrometer's {@link ExecutorServiceMetrics} under the name {@code
   * effects}: {@code executor.active} (running), {@code executor.queued}, {@code
   * executor.pool.size}, {@code executor.completed} with tag {@code name=effects}; the workers'
   * nice value as {@code terrafield.effects.worker.nice}.
   */
  @Bean(destroyMethod = "shutdownNow")
  ThreadPoolExecutor effectWorkers(
      @Value("${terrafield.effects.workers:1}") int workers,
      @Value("${terrafield.effects.capacity:8}") int capacity,
      @Value("${terrafield.effects.nice:19}") int nice,
      MeterRegistry meters) {
    if (workers < 1) {
      throw new IllegalArgumentException(
          "terrafield.effects.workers: must be at least 1, was " + workers);
    }
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "terrafield.effects.capacity: must be at least 1, was " + capacity);
    }
    if (nice < 0 || nice > 19) {
      throw new IllegalArgumentException("terrafield.effects.nice: must be in 0..19, was " + nice);
    }
    AtomicInteger n = new AtomicInteger();
    AtomicInteger workerNice = new AtomicInteger(Integer.MIN_VALUE);
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            workers,
            workers,
            0,
            TimeUnit.MILLISECONDS,
            // EffectService admits at most `capacity` at once; the bound holds even without it
            new ArrayBlockingQueue<>(capacity),
            r -> {
              Thread t =
                  new Thread(
                      () -> {
                        workerNice.set(LowPriority.lowerCurrentThread(nice));
                        r.run();
                      },
                      "effects-" + n.incrementAndGet());
              t.setDaemon(true);
              t.setPriority(Thread.MIN_PRIORITY); // honoured on other systems; Linux: the nice
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    pool.prestartAllCoreThreads();
    new ExecutorServiceMetrics(pool, "effects", List.of()).bindTo(meters);
    Gauge.builder("terrafield.effects.worker.nice", workerNice, AtomicInteger::get)
        .description("Linux nice value of the effect workers (MIN_VALUE: unknown)")
        .register(meters);
    return pool;
  }

  @Bean
  EffectService effectService(
      TerrafieldStore store,
      ThreadPoolExecutor effectWorkers,
      @Value("${terrafield.effects.capacity:8}") int capacity,
      Clock clock,
      MeterRegistry meters) {
    return new EffectService(
        store, effectWorkers, effectWorkers.getMaximumPoolSize(), capacity, clock, meters);
  }

  /** {@code POST /effects} while the pool is full: 503 before the body is read and parsed. */
  @Bean
  WebMvcConfigurer effectAdmission(EffectService effectService) {
    return new WebMvcConfigurer() {
      @Override
      public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new EffectAdmission(effectService)).addPathPatterns("/effects");
      }
    };
  }
}
