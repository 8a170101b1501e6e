package io.terrafield.ingest.sensor;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded-out-of-orderness watermarks emitted as soon as the newest event time advances (not on a
 * processing-time period), so that which reading is late depends only on the order of the input,
 * never on timing: a replay of the same topic gives the same result. Sensor rates are low enough
 * (thousands per second) for a watermark per advancing event to cost nothing noticeable.
 */
final class EventTimeWatermarks<T> implements WatermarkGenerator<T> {

  private final long outOfOrdernessMs;
  private long maxTimestamp = Long.MIN_VALUE;
  private long emitted = Long.MIN_VALUE;

  EventTimeWatermarks(long outOfOrdernessMs) {
    this.outOfOrdernessMs = outOfOrdernessMs;
  }

  @Override
  public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
    maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
    long watermark = maxTimestamp - outOfOrdernessMs - 1;
    if (watermark > emitted) {
      emitted = watermark;
      output.emitWatermark(new Watermark(watermark));
    }
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    // Watermarks are emitted on events only; idleness is handled by the strategy's wrapper.
  }
}
