package io.terrafield.ingest.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.terrafield.store.Station;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The station registry as the validation step's broadcast state: stations that come and go. */
class StationRegistryStateTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2016-03-01T00:00:00Z"), ZoneOffset.UTC);
  static final Instant T0 = Instant.parse("2016-02-01T00:00:00Z");
  static final Station DONGSI = new Station("Dongsi", null, 116.417, 39.929, null, "beijing", null);
  static final Station NEW =
      new Station("Yizhuang", "Yizhuang", 116.5, 39.8, 40.0, "beijing", null);

  BroadcastOperatorTestHarness<String, StationUpdate, Reading> harness;

  @BeforeEach
  void setUp() throws Exception {
    ReadingValidator validator =
        new ReadingValidator(Map.of("Dongsi", DONGSI), CLOCK, Duration.ofHours(1), 64 * 1024);
    harness =
        ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
            new ValidateReadingFunction(validator), ValidateReadingFunction.STATIONS);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  static String reading(String station, int hour) {
    return "{\"station\":\""
        + station
        + "\",\"time\":\""
        + T0.plus(Duration.ofHours(hour))
        + "\",\"pm25\":12}";
  }

  List<String> rejectionReasons() {
    var side = harness.getSideOutput(ValidateReadingFunction.REJECTED);
    return side == null ? List.of() : side.stream().map(r -> r.getValue().reason()).toList();
  }

  List<String> accepted() {
    return harness.extractOutputValues().stream().map(Reading::stationId).toList();
  }

  @Test
  void aNewStationIsAcceptedOnceRegisteredAndRejectedOnceRetired() throws Exception {
    harness.processElement(reading("Yizhuang", 0), 0);
    harness.processBroadcastElement(StationUpdate.of(NEW, T0), 0);
    harness.processElement(reading("Yizhuang", 1), 0);
    harness.processElement(reading("Dongsi", 1), 0);
    harness.processBroadcastElement(StationUpdate.retired("Yizhuang"), 0);
    harness.processBroadcastElement(StationUpdate.retired("Dongsi"), 0);
    harness.processElement(reading("Yizhuang", 2), 0);
    harness.processElement(reading("Dongsi", 2), 0);

    assertThat(accepted()).containsExactly("Yizhuang", "Dongsi");
    assertThat(rejectionReasons())
        .containsExactly(
            "station: unknown station 'Yizhuang'",
            "station: unknown station 'Yizhuang'",
            "station: unknown station 'Dongsi'");
  }

  @Test
  void aMovedStationStaysKnown() throws Exception {
    harness.processBroadcastElement(StationUpdate.of(NEW, T0), 0);
    Station moved = new Station("Yizhuang", "Yizhuang 2", 116.6, 39.7, 41.0, "beijing", null);
    harness.processBroadcastElement(StationUpdate.of(moved, T0.plus(Duration.ofDays(1))), 0);
    harness.processElement(reading("Yizhuang", 30), 0);

    assertThat(accepted()).containsExactly("Yizhuang");
    StationUpdate state =
        harness.getBroadcastState(ValidateReadingFunction.STATIONS).get("Yizhuang");
    assertThat(state.station()).isEqualTo(moved);
  }

  @Test
  void updatesRoundTripThroughTheTopicFormatAndBadOnesAreNamed() {
    StationUpdate update = StationUpdate.of(NEW, T0);
    StationUpdate read =
        StationUpdate.parse("Yizhuang".getBytes(StandardCharsets.UTF_8), update.value());
    assertThat(read.station()).isEqualTo(NEW);
    assertThat(read.validFrom()).isEqualTo(T0);
    assertThat(StationUpdate.parse("X".getBytes(StandardCharsets.UTF_8), null).active()).isFalse();
    assertThatThrownBy(
            () ->
                StationUpdate.parse(
                    "X".getBytes(StandardCharsets.UTF_8),
                    "{\"lon\":200,\"lat\":1,\"valid_from\":\"2016-01-01T00:00:00Z\"}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("lon out of range: 200");
    assertThatThrownBy(
            () ->
                StationUpdate.parse(
                    "X".getBytes(StandardCharsets.UTF_8),
                    "{\"lon\":1,\"lat\":1}".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("station X: valid_from is missing");
  }
}
