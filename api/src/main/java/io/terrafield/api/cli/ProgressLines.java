package io.terrafield.api.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Turns console progress output (a bar redrawn after each {@code \r}) into whole log lines for a
 * log collector: every {@code \n}-terminated line passes through; of the redraws, the newest one is
 * written as a line at most once per {@code interval}, and the last one when the bar ends. A
 * Kubernetes job's log then shows the fit's progress every interval instead of one endless line.
 * Not thread-safe (one writer).
 */
final class ProgressLines extends OutputStream {
  private final PrintWriter out;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();
  private String redraw;
  private long lastRedrawWritten;
  private boolean anyRedrawWritten;

  ProgressLines(PrintWriter out, Duration interval) {
    this(out, interval, System::nanoTime);
  }

  ProgressLines(PrintWriter out, Duration interval, LongSupplier nanoTime) {
    this.out = out;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  @Override
  public void write(int b) {
    if (b == '\r') {
      String text = text();
      if (!text.isBlank()) {
        redraw = text;
        long now = nanoTime.getAsLong();
        if (!anyRedrawWritten || now - lastRedrawWritten >= intervalNanos) {
          line(redraw);
          redraw = null;
          lastRedrawWritten = now;
          anyRedrawWritten = true;
        }
      }
    } else if (b == '\n') {
      String text = text();
      if (!text.isBlank()) {
        line(text);
      } else if (redraw != null) {
        line(redraw);
      }
      redraw = null;
    } else {
      current.write(b);
    }
  }

  private String text() {
    String text = current.toString(StandardCharsets.UTF_8).stripTrailing();
    current.reset();
    return text;
  }

  private void line(String text) {
    out.println(text);
    out.flush();
  }

  @Override
  public void flush() {
    out.flush();
  }

  @Override
  public void close() {
    String text = text();
    if (!text.isBlank()) {
      line(text);
    } else if (redraw != null) {
      line(redraw);
    }
    redraw = null;
  }
}
