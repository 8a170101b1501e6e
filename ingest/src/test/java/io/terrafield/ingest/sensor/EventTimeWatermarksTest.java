package io.terrafield.ingest.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.store.Observation;
import io.terrafield.store.Variable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Hours that close on time: the quiet close, driven by an injected clock (no sleeping). */
class EventTimeWatermarksTest {

  static final long MIN = 60_000L;
  static final long HOUR = 60 * MIN;
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

    long last() {
      return watermarks.get(watermarks.size() - 1);
    }
  }

  final ManualClock clock = new ManualClock();
  final RecordingOutput output = new RecordingOutput();
  final EventTimeWatermarks<Object> generator =
      new EventTimeWatermarks<>(10 * MIN, HOUR, HOUR, 30_000, clock);

  void event(long offsetMs) {
    generator.onEvent(new Object(), T0.toEpochMilli() + offsetMs, output);
  }

  @Test
  void followsTheNewestReadingWhileReadingsArrive() {
    event(20 * MIN);
    event(5 * MIN);
    assertThat(output.watermarks).containsExactly(T0.toEpochMilli() + 10 * MIN - 1);
    clock.advance(Duration.ofMinutes(59));
    generator.onPeriodicEmit(output);
    assertThat(output.watermarks).hasSize(1);
    assertThat(output.idleMarks).isEqualTo(1);
  }

  @Test
  void closesTheOpenHourOnceTheAllowedLatenessHasPassedWithoutReadings() {
    event(20 * MIN);
    clock.advance(Duration.ofMinutes(59));
    generator.onPeriodicEmit(output);
    assertThat(output.last()).isEqualTo(T0.toEpochMilli() + 10 * MIN - 1);

    clock.advance(Duration.ofMinutes(1));
    generator.onPeriodicEmit(output);
    // End of the 00:00 hour plus the allowed lateness: the hour is emitted and closed.
    assertThat(output.last()).isEqualTo(T0.toEpochMilli() + HOUR - 1 + HOUR);

    generator.onPeriodicEmit(output);
    assertThat(output.watermarks).hasSize(2);
  }

  @Test
  void aReadingResetsTheQuietPeriod() {
    event(20 * MIN);
    clock.advance(Duration.ofMinutes(50));
    event(25 * MIN);
    clock.advance(Duration.ofMinutes(50));
    generator.onPeriodicEmit(output);
    assertThat(output.last()).isEqualTo(T0.toEpochMilli() + 15 * MIN - 1);
  }

  @Test
  void withoutAnyReadingThereIsNothingToClose() {
    clock.advance(Duration.ofHours(5));
    generator.onPeriodicEmit(output);
    assertThat(output.watermarks).isEmpty();
    assertThat(output.idleMarks).isEqualTo(1);
  }

  /** The generator and the aggregation together: the last hour is written, state is empty. */
  @Test
  void theLastHourIsWrittenWithoutANewerReadingAndStateReturnsToZero() throws Exception {
    var harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new HourlyAggregateFunction(HOUR, clock)),
            Observation::stationId,
            Types.STRING);
    harness.open();
    try {
      for (long offset : new long[] {5 * MIN, 65 * MIN, 70 * MIN}) {
        Observation o =
            new Observation("A", T0.plusMillis(offset), Map.of(Variable.PM25, 10.0), null, 1);
        harness.processElement(new StreamRecord<>(o, o.time().toEpochMilli()));
        event(offset);
        harness.processWatermark(output.last());
      }
      assertThat(harness.extractOutputValues()).hasSize(1); // 00:00 only; 01:00 is open
      clock.advance(Duration.ofHours(1));
      generator.onPeriodicEmit(output);
      harness.processWatermark(output.last());
      List<Observation> hours = harness.extractOutputValues();
      assertThat(hours)
          .extracting(Observation::time, Observation::sampleCount)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(T0, 1),
              org.assertj.core.groups.Tuple.tuple(T0.plusMillis(HOUR), 2));
      assertThat(harness.numKeyedStateEntries()).isZero();
      assertThat(harness.numEventTimeTimers()).isZero();

      // A reading for the closed hour that arrives afterwards is late, with a reason.
      Observation late =
          new Observation("A", T0.plusMillis(80 * MIN), Map.of(Variable.PM25, 10.0), null, 1);
      harness.processElement(new StreamRecord<>(late, late.time().toEpochMilli()));
      assertThat(harness.getSideOutput(HourlyAggregateFunction.REJECTED))
          .singleElement()
          .satisfies(r -> assertThat(r.getValue().reason()).contains("is late"));
    } finally {
      harness.close();
    }
  }
}
