package io.terrafield.causal.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bars of {@code effect simulate} and {@code effect trials}, always on standard error
 * (standard output carries only the result tables). With a console ({@link System#console()}) the
 * bar is redrawn in place with carriage returns. Without one (output redirected to a file or a
 * pipe, a CI or pod log) the library's line-by-line consumer ({@link
 * DelegatingProgressBarConsumer}) writes whole lines instead, and only some of them: the first, one
 * each time the progress passes a further 10 %, and otherwise at most one per {@link
 * #LINE_INTERVAL} while it moves.
 */
final class ProgressBars {

  /** Without a console: the longest a moving progress goes without a line. */
  static final Duration LINE_INTERVAL = Duration.ofSeconds(30);

  /** Width of a progress line without a console (there is no terminal width to ask). */
  private static final int LINE_WIDTH = 100;

  private ProgressBars() {}

  /** A bar of {@code total} steps on standard error: in place on a console, else as lines. */
  static ProgressBar create(String task, int total) {
    return create(task, total, System.console() != null, System.err, LINE_INTERVAL);
  }

  static ProgressBar create(
      String task, int total, boolean console, PrintStream err, Duration interval) {
    ProgressBarBuilder builder =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII);
    if (console) {
      return builder.setConsumer(new ConsoleProgressBarConsumer(err)).build();
    }
    Lines lines = new Lines(err, total, interval.toNanos(), System::nanoTime);
    ProgressBar bar =
        builder.setConsumer(new DelegatingProgressBarConsumer(lines, LINE_WIDTH)).build();
    lines.attach(bar);
    return bar;
  }

  /**
   * Receives every rendering of the bar (about one a second while it moves) and prints the ones
   * worth a line: the first, a new 10 % step, or progress after {@code intervalNanos} of silence.
   */
  static final class Lines implements Consumer<String> {
    private final PrintStream err;
    private final long total;
    private final long intervalNanos;
    private final LongSupplier clock;
    private volatile ProgressBar bar;
    private boolean printed;
    private long lastCurrent;
    private long lastStep;
    private long lastNanos;

    Lines(PrintStream err, long total, long intervalNanos, LongSupplier clock) {
      this.err = err;
      this.total = total;
      this.intervalNanos = intervalNanos;
      this.clock = clock;
    }

    void attach(ProgressBar value) {
      this.bar = value;
    }

    @Override
    public synchronized void accept(String rendered) {
      ProgressBar b = bar;
      accept(rendered, b == null ? 0 : b.getCurrent());
    }

    /** Prints {@code rendered}, made at progress {@code current}, if it is worth a line. */
    synchronized void accept(String rendered, long current) {
      long now = clock.getAsLong();
      long step = total > 0 ? Math.min(10, current * 10 / total) : 0;
      boolean due =
          !printed
              || step > lastStep
              || (current > lastCurrent && now - lastNanos >= intervalNanos);
      if (!due) {
        return;
      }
      err.println(rendered.strip());
      err.flush();
      printed = true;
      lastCurrent = current;
      lastStep = step;
      lastNanos = now;
    }
  }
}
