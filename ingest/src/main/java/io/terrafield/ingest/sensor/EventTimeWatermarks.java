package io.terrafield.ingest.sensor;

import java.time.Clock;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded-out-of-orderness watermarks emitted as soon as the newest event time advances (not on a
 * processing-time period), so that which reading is late depends only on the order of the input,
 * never on timing: a replay of the same topic gives the same result. Sensor rates are low enough
 * (thousands per second) for a watermark per advancing event to cost nothing noticeable.
 *
 * <p><b>Hours that close on time.</b> When no reading has arrived for {@code quietCloseMs} of
 * processing time (read from the injected {@link Clock} on Flink's periodic watermark call), event
 * time is taken to have moved on: the watermark jumps to the end of the newest reading's hour plus
 * the allowed lateness, so every open hour is emitted and closed (a reading for such an hour that
 * arrives afterwards is rejected as late, as it would be had newer readings come). This is the only
 * place where timing matters, and only after a quiet period.
 *
 * <p><b>Idleness.</b> After {@code idlenessMs} without a reading the generator marks its output
 * idle, so that a parallel instance that sees no data does not hold the downstream watermark back.
 * (It does this itself instead of Flink's {@code withIdleness} wrapper, which would stop calling
 * {@link #onPeriodicEmit} and so the quiet close.)
 */
final class EventTimeWatermarks<T> implements WatermarkGenerator<T> {

  private static final long HOUR_MS = HourlyAggregateFunction.HOUR_MS;

  private final long outOfOrdernessMs;
  private final long allowedLatenessMs;
  private final long quietCloseMs;
  private final long idlenessMs;
  private final Clock clock;
  private long maxTimestamp = Long.MIN_VALUE;
  private long emitted = Long.MIN_VALUE;
  private long lastEventAt;

  /**
   * @param quietCloseMs processing time without readings after which open hours are closed ({@code
   *     <= 0}: never)
   * @param idlenessMs processing time without readings after which the output is marked idle
   *     ({@code <= 0}: never)
   */
  EventTimeWatermarks(
      long outOfOrdernessMs,
      long allowedLatenessMs,
      long quietCloseMs,
      long idlenessMs,
      Clock clock) {
    this.outOfOrdernessMs = outOfOrdernessMs;
    this.allowedLatenessMs = allowedLatenessMs;
    this.quietCloseMs = quietCloseMs;
    this.idlenessMs = idlenessMs;
    this.clock = clock;
    this.lastEventAt = clock.millis();
  }

  @Override
  public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
    lastEventAt = clock.millis();
    maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
    emitAtLeast(maxTimestamp - outOfOrdernessMs - 1, output);
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    long quiet = clock.millis() - lastEventAt;
    if (quietCloseMs > 0 && quiet >= quietCloseMs && maxTimestamp != Long.MIN_VALUE) {
      long hourEnd = Math.floorDiv(maxTimestamp, HOUR_MS) * HOUR_MS + HOUR_MS;
      emitAtLeast(hourEnd - 1 + allowedLatenessMs, output);
    }
    if (idlenessMs > 0 && quiet >= idlenessMs) {
      output.markIdle();
    }
  }

  private void emitAtLeast(long watermark, WatermarkOutput output) {
    if (watermark > emitted) {
      emitted = watermark;
      output.emitWatermark(new Watermark(watermark));
    }
  }
}
