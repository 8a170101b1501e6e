package io.terrafield.api.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.terrafield.store.importers.BeijingImporter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules of the replay start and of the history window before it (local time, UTC+8). */
class ReplayWindowTest {

  static final ZoneOffset BEIJING = BeijingImporter.LOCAL_OFFSET;

  /** The shared data: 2013-03-01T00:00 to 2016-02-29T23:00 local. */
  static final BeijingImporter.Span SHARED = span("2013-03-01T00:00", "2016-02-29T23:00");

  /** The demo-data slice: 2015-01-01T00:00 to 2016-02-29T23:00 local. */
  static final BeijingImporter.Span DEMO = span("2015-01-01T00:00", "2016-02-29T23:00");

  @ParameterizedTest(name = "last hour {0} -> replay from {1}")
  @CsvSource({
    // The Beijing data: the hour after the last is 2016-03-01T00:00; 60 days before is Jan 1.
    "2016-02-29T23:00, 2016-01-01T00:00",
    // Not a whole day: 2016-02-29T13:00 - 60 d = 2015-12-31T13:00, rounded down to midnight.
    "2016-02-29T12:00, 2015-12-31T00:00",
    // A year without Feb 29: 2015-03-01T00:00 - 60 d = 2014-12-31T00:00.
    "2015-02-28T23:00, 2014-12-31T00:00",
  })
  void autoIsTheLocalMidnightSixtyDaysBeforeTheEndOfTheData(String lastHour, String expected) {
    assertThat(ReplayWindow.autoFrom(local(lastHour), BEIJING)).isEqualTo(local(expected));
  }

  @Test
  void theDefaultsOnTheSharedDataAndOnTheDemoSliceAreTheSame() {
    for (BeijingImporter.Span span : new BeijingImporter.Span[] {SHARED, DEMO}) {
      ReplayWindow w = window(new TerrafieldProperties.Replay(true, 3600, null, null), null, span);

      assertThat(w.replayFrom()).isEqualTo(local("2016-01-01T00:00"));
      assertThat(w.historyFrom()).isEqualTo(local("2015-01-01T00:00"));
      assertThat(w.replayTo()).isNull();
      assertThat(w.historyClipped()).isFalse();
      assertThat(w.hasHistory()).isTrue();
    }
  }

  @Test
  void historyIsClippedToTheStartOfTheData() {
    ReplayWindow w = window(replayFrom("2015-03-01T00:00"), 365, DEMO);

    assertThat(w.historyFrom()).isEqualTo(DEMO.first());
    assertThat(w.historyClipped()).isTrue();
  }

  @Test
  void zeroHistoryDaysMeansNoHistory() {
    ReplayWindow w = window(replayFrom("auto"), 0, DEMO);

    assertThat(w.historyFrom()).isEqualTo(w.replayFrom());
    assertThat(w.hasHistory()).isFalse();
    assertThat(w.historyClipped()).isFalse();
  }

  @Test
  void startIsTheFirstHourOfTheData() {
    ReplayWindow w = window(replayFrom("start"), 365, DEMO);

    assertThat(w.replayFrom()).isEqualTo(DEMO.first());
    assertThat(w.hasHistory()).isFalse();
  }

  @Test
  void autoOnLessThanSixtyDaysOfDataStartsAtTheFirstHour() {
    BeijingImporter.Span february = span("2016-02-01T00:00", "2016-02-29T23:00");

    assertThat(window(replayFrom("auto"), 365, february).replayFrom()).isEqualTo(february.first());
  }

  @Test
  void anExplicitStartAndEndAreLocalTimes() {
    ReplayWindow w =
        window(
            new TerrafieldProperties.Replay(true, 3600, "2016-02-01T00:00", "2016-02-08T00:00"),
            7,
            DEMO);

    assertThat(w.replayFrom()).isEqualTo(Instant.parse("2016-01-31T16:00:00Z"));
    assertThat(w.replayTo()).isEqualTo(Instant.parse("2016-02-07T16:00:00Z"));
    assertThat(w.historyFrom()).isEqualTo(Instant.parse("2016-01-24T16:00:00Z"));
  }

  @ParameterizedTest(name = "replay.from {0}")
  @CsvSource({"2014-12-31T23:00", "2016-03-01T00:00", "2020-01-01T00:00"})
  void aReplayStartOutsideTheDataNamesTheFieldTheValueAndTheData(String from) {
    assertThatThrownBy(() -> window(replayFrom(from), 365, DEMO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "terrafield.replay.from: '"
                + from
                + "' is outside the data, which runs from 2015-01-01T00:00 to 2016-02-29T23:00"
                + " (local time)");
  }

  @Test
  void anAutoStartAfterTheReplayEndNamesBoth() {
    assertThatThrownBy(
            () ->
                window(new TerrafieldProperties.Replay(true, 1, null, "2015-06-01T00:00"), 1, DEMO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "terrafield.replay.to: '2015-06-01T00:00' must be after the replay start"
                + " 2016-01-01T00:00 (terrafield.replay.from: auto)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "yesterday|terrafield.replay.from: 'yesterday' is not auto, start or a local date-time"
            + " like 2016-01-01T00:00",
        "2016-01-01|terrafield.replay.from: '2016-01-01' is not auto, start or a local date-time"
            + " like 2016-01-01T00:00",
      })
  void aMalformedReplayStartIsRejectedWithTheField(String from, String message) {
    assertThatThrownBy(() -> replayFrom(from))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void badSettingsNameTheFieldAndTheValue() {
    assertThatThrownBy(() -> new TerrafieldProperties.History(-1, null))
        .hasMessage("terrafield.history.days: must be >= 0 (0: no history import), was -1");
    assertThatThrownBy(() -> new TerrafieldProperties.History(30, 0))
        .hasMessage("terrafield.history.batch-size: must be >= 1, was 0");
    assertThatThrownBy(() -> new TerrafieldProperties.Replay(true, 0, null, null))
        .hasMessage("terrafield.replay.speedup: must be a positive number, was 0.0");
    assertThatThrownBy(
            () -> new TerrafieldProperties.Replay(true, 1, "2016-01-02T00:00", "2016-01-01T00:00"))
        .hasMessage(
            "terrafield.replay.to: '2016-01-01T00:00' must be after terrafield.replay.from"
                + " '2016-01-02T00:00'");
    assertThatThrownBy(() -> new TerrafieldProperties.Replay(true, 1, null, "soon"))
        .hasMessage("terrafield.replay.to: 'soon' is not a local date-time like 2016-01-01T00:00");
  }

  @Test
  void theDefaultsAreAutoAndAYear() {
    assertThat(new TerrafieldProperties.Replay(true, 3600, " ", null).from()).isEqualTo("auto");
    assertThat(new TerrafieldProperties.History(null, null))
        .isEqualTo(new TerrafieldProperties.History(365, 5000));
  }

  static ReplayWindow window(
      TerrafieldProperties.Replay replay, Integer days, BeijingImporter.Span span) {
    return ReplayWindow.of(replay, new TerrafieldProperties.History(days, null), span, BEIJING);
  }

  static TerrafieldProperties.Replay replayFrom(String from) {
    return new TerrafieldProperties.Replay(true, 3600, from, null);
  }

  static BeijingImporter.Span span(String first, String last) {
    return new BeijingImporter.Span(local(first), local(last));
  }

  static Instant local(String t) {
    return LocalDateTime.parse(t).toInstant(BEIJING);
  }
}
