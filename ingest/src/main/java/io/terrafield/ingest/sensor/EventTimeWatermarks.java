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
 * <p><b>Idleness.</b> After {@code idlenessMs} without a reading the generator marks its output
 * idle, so that a parallel instance that sees no data does not hold the downstream watermark back.
 * (It does this itself, with the injected clock, instead of Flink's {@code withIdleness} wrapper.)
 * Hours of a quiet stream are written by {@link HourlyAggregateFunction}'s quiet close.
 */
final class EventTimeWatermarks<T> implements WatermarkGenerator<T> {

  private final long outOfOrdernessMs;
  private final long idlenessMs;
  private final Clock clock;
  private long maxTimestamp = Long.MIN_VALUE;
  private long emitted = Long.MIN_VALUE;
  private long lastEventAt;

  /**
   * @param idlenessMs processing time without readings after which the output is marked idle
   *     ({@code <= 0}: never)
   */
  EventTimeWatermarks(long outOfOrdernessMs, long idlenessMs, Clock clock) {
    this.outOfOrdernessMs = outOfOrdernessMs;
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
    if (idlenessMs > 0 && clock.millis() - lastEventAt >= idlenessMs) {
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
