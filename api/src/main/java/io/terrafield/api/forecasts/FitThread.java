package io.terrafield.api.forecasts;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JVM-wide thread every field fit runs on: PyTorch's gradient mode is thread-local and DJL
 * switches it off only on the engine's first thread, so an in-place optimiser step on another
 * thread fails. Used by {@link ForecastTrainer}.
 */
final class FitThread {
  static final ExecutorService EXECUTOR =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "terrafield-fit");
            t.setDaemon(true);
            return t;
          });

  private FitThread() {}
}
