package io.terrafield.ingest.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

/** Watermarks that follow the newest reading, and idleness read from an injected clock. */
class EventTimeWatermarksTest {

  static final long MIN = 60_000L;
  static final Instant T0 = Instant.parse("2013-03-01T00:00:00Z");

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-11-30T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  static final class RecordingOutput implements WatermarkOutput {
    final List<Long> watermarks = new ArrayList<>();
    int idleMarks;

    @Override
    public void emitWatermark(Watermark watermark) {
      watermarks.add(watermark.getTimestamp());
    }

    @Override
    public void markIdle() {
      idleMarks++;
    }

    @Override
    public void markActive() {}
  }

  final ManualClock clock = new ManualClock();
  final RecordingOutput output = new RecordingOutput();
  final EventTimeWatermarks<Object> generator = new EventTimeWatermarks<>(10 * MIN, 30_000, clock);

  void event(long offsetMs) {
    generator.onEvent(new Object(), T0.toEpochMilli() + offsetMs, output);
  }

  @Test
  void followsTheNewestReadingAndNeverGoesBack() {
    event(20 * MIN);
    event(5 * MIN);
    event(25 * MIN);
    assertThat(output.watermarks)
        .containsExactly(T0.toEpochMilli() + 10 * MIN - 1, T0.toEpochMilli() + 15 * MIN - 1);
  }

  @Test
  void marksItselfIdleAfterTheIdlenessWithoutReadings() {
    event(20 * MIN);
    clock.advance(Duration.ofSeconds(29));
    generator.onPeriodicEmit(output);
    assertThat(output.idleMarks).isZero();
    clock.advance(Duration.ofSeconds(1));
    generator.onPeriodicEmit(output);
    assertThat(output.idleMarks).isEqualTo(1);
    assertThat(output.watermarks).hasSize(1);
  }
}
