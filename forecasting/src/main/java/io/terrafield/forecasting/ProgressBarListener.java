package io.terrafield.forecasting;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A {@link FitListener} that draws a console progress bar with the smoothed loss (the {@code
 * PrintStream} overload of {@link NeuralField#fit}). The bar is created at the first step, when the
 * number of steps is known. Not thread-safe.
 */
final class ProgressBarListener implements FitListener, AutoCloseable {
  private final String task;
  private final PrintStream out;
  private ProgressBar bar;

  ProgressBarListener(FieldConfig config, PrintStream out) {
    this.task = "fit " + (config.graphAttention() ? "cglubnf" : "bayesnf");
    this.out = out;
  }

  @Override
  public void onProgress(int epoch, int epochs, long step, long steps, double loss) {
    if (bar == null) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(task)
              .setInitialMax(steps)
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new ConsoleProgressBarConsumer(out))
              .build();
    }
    bar.stepTo(step);
    if (step % 10 == 1 || step == steps) {
      bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", loss));
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
