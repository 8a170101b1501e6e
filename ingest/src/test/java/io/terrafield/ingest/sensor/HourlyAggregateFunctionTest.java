package io.terrafield.ingest.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.store.Observation;
import io.terrafield.store.Variable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HourlyAggregateFunctionTest {

  static final long HOUR = 3_600_000L;
  static final Instant T0 = Instant.parse("2013-03-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(Instant.parse("2016-03-01T00:00:00Z"), ZoneOffset.UTC);

  KeyedOneInputStreamOperatorTestHarness<String, Reading, Observation> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new HourlyAggregateFunction(HOUR, CLOCK)),
            Reading::stationId,
            Types.STRING);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  static Observation reading(String station, long offsetMs, double pm25) {
    return new Observation(station, T0.plusMillis(offsetMs), Map.of(Variable.PM25, pm25), null, 1);
  }

  void send(Observation o) throws Exception {
    harness.processElement(new StreamRecord<>(Reading.of(o), o.time().toEpochMilli()));
  }

  List<Observation> emitted() {
    return harness.extractOutputValues();
  }

  List<Rejection> rejected() {
    var side = harness.getSideOutput(HourlyAggregateFunction.REJECTED);
    return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void averagesAnHourOutOfOrderAndEmitsItWhenTheWatermarkPasses() throws Exception {
    send(reading("A", 40 * 60_000, 30));
    send(reading("A", 10 * 60_000, 10));
    send(reading("B", 5 * 60_000, 7));
    harness.processWatermark(T0.toEpochMilli() + HOUR - 2);
    assertThat(emitted()).isEmpty();
    harness.processWatermark(T0.toEpochMilli() + HOUR - 1);
    assertThat(emitted())
        .extracting(Observation::stationId, o -> o.value(Variable.PM25), Observation::sampleCount)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("A", 20.0, 2),
            org.assertj.core.groups.Tuple.tuple("B", 7.0, 1));
    assertThat(emitted()).allMatch(o -> o.time().equals(T0));
  }

  @Test
  void rejectsDuplicatesOnStationAndTimeAndKeepsTheFirst() throws Exception {
    send(reading("A", 0, 10));
    send(reading("A", 0, 99));
    send(reading("B", 0, 99));
    harness.processWatermark(T0.toEpochMilli() + HOUR - 1);
    assertThat(rejected()).hasSize(1);
    assertThat(rejected().get(0).reason())
        .isEqualTo(
            "time: duplicate reading for station 'A' at 2013-03-01T00:00:00Z (first one kept)");
    assertThat(emitted())
        .filteredOn(o -> o.stationId().equals("A"))
        .singleElement()
        .satisfies(o -> assertThat(o.value(Variable.PM25)).isEqualTo(10.0));
  }

  @Test
  void aLateReadingWithinTheAllowedLatenessUpdatesTheHour() throws Exception {
    send(reading("A", 0, 10));
    harness.processWatermark(T0.toEpochMilli() + HOUR + 10 * 60_000);
    send(reading("A", 30 * 60_000, 20));
    assertThat(emitted())
        .extracting(o -> o.value(Variable.PM25), Observation::sampleCount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(10.0, 1),
            org.assertj.core.groups.Tuple.tuple(15.0, 2));
    assertThat(rejected()).isEmpty();
  }

  @Test
  void aReadingAfterTheAllowedLatenessIsRejectedAsLate() throws Exception {
    send(reading("A", 0, 10));
    harness.processWatermark(T0.toEpochMilli() + 2 * HOUR);
    send(reading("A", 30 * 60_000, 20));
    assertThat(rejected())
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).startsWith("time: 2013-03-01T00:30:00Z is late"));
    assertThat(emitted()).hasSize(1);
  }

  @Test
  void stateAndTimersReturnToZeroWhenTheStreamIsQuiet() throws Exception {
    for (int i = 0; i < 48; i++) {
      send(reading("A", i * HOUR, i));
      send(reading("B", i * HOUR + 1, i));
    }
    assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);
    harness.processWatermark(T0.toEpochMilli() + 50 * HOUR);
    assertThat(emitted()).hasSize(96);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  /** Hours that close on time: processing-time timers of the harness, no sleeping. */
  @Test
  void anOpenHourIsWrittenAfterTheQuietPeriodAndStaysOpenForLateReadings() throws Exception {
    harness.close();
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new HourlyAggregateFunction(HOUR, HOUR, CLOCK)),
            Reading::stationId,
            Types.STRING);
    harness.open();
    harness.setProcessingTime(0);
    send(reading("A", 5 * 60_000, 10));
    harness.setProcessingTime(30 * 60_000);
    send(reading("A", 20 * 60_000, 20)); // the station is not quiet yet
    harness.setProcessingTime(HOUR + 29 * 60_000);
    assertThat(emitted()).isEmpty();
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

    harness.setProcessingTime(HOUR + 30 * 60_000); // an hour after the last reading
    assertThat(emitted())
        .extracting(o -> o.value(Variable.PM25), Observation::sampleCount)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(15.0, 2));
    assertThat(harness.numProcessingTimeTimers()).isZero();

    // Still open: a reading that arrives after the quiet period updates its hour.
    send(reading("A", 50 * 60_000, 30));
    harness.setProcessingTime(3 * HOUR);
    assertThat(emitted())
        .extracting(o -> o.value(Variable.PM25), Observation::sampleCount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(15.0, 2),
            org.assertj.core.groups.Tuple.tuple(20.0, 3));
    assertThat(rejected()).isEmpty();

    // The watermark does not write the unchanged hour again; then state returns to zero.
    harness.processWatermark(T0.toEpochMilli() + 3 * HOUR);
    assertThat(emitted()).hasSize(2);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }
}
