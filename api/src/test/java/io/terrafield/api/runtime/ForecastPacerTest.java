package io.terrafield.api.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.terrafield.store.ForecastIssue;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The replay's pacing on data time: hour H waits for issue time H + 1 h − maxLag. */
class ForecastPacerTest {
  private static final Instant H = Instant.parse("2016-01-02T10:00:00Z");

  private static Optional<ForecastIssue> issue(Instant issueTime) {
    return Optional.of(
        new ForecastIssue(Variable.PM25, "cglubnf", issueTime, "v", issueTime, 12, 0, 0, 72));
  }

  @Test
  void hourHWaitsForTheIssueOfHourHMinusOne() throws Exception {
    TerrafieldStore store = mock(TerrafieldStore.class);
    ForecastPacer pacer = new ForecastPacer(store, Variable.PM25, "cglubnf", Duration.ofHours(1));
    when(store.newestIssue(Variable.PM25, "cglubnf")).thenReturn(issue(H.minusSeconds(3600)));
    assertThat(pacer.behind(H.plusSeconds(600))).isTrue(); // issue of H − 2 only
    when(store.newestIssue(Variable.PM25, "cglubnf")).thenReturn(issue(H));
    Thread.sleep(ForecastPacer.EVERY.toMillis() + 20);
    assertThat(pacer.behind(H.plusSeconds(600))).isFalse(); // issue of H − 1 stored
    assertThat(pacer.behind(H.plusSeconds(3600))).isTrue(); // H + 1 needs the issue of H
  }

  @Test
  void aLargerLagLetsTheReplayRunAhead() {
    TerrafieldStore store = mock(TerrafieldStore.class);
    ForecastPacer pacer = new ForecastPacer(store, Variable.PM25, "cglubnf", Duration.ofHours(2));
    when(store.newestIssue(Variable.PM25, "cglubnf")).thenReturn(issue(H.minusSeconds(3600)));
    assertThat(pacer.behind(H)).isFalse();
    assertThat(pacer.behind(H.plusSeconds(3600))).isTrue();
  }

  @Test
  void beforeTheFirstIssueTheReplaySendsMaxLagPlusOneHour() {
    TerrafieldStore store = mock(TerrafieldStore.class);
    when(store.newestIssue(Variable.PM25, "cglubnf")).thenReturn(Optional.empty());
    ForecastPacer pacer = new ForecastPacer(store, Variable.PM25, "cglubnf", Duration.ofHours(1));
    assertThat(pacer.behind(H)).isFalse();
    assertThat(pacer.behind(H.plusSeconds(3600 + 1800))).isFalse();
    assertThat(pacer.behind(H.plusSeconds(2 * 3600))).isTrue();
  }

  @Test
  void aLagBelowOneHourIsRefused() {
    assertThatThrownBy(
            () ->
                new ForecastPacer(
                    mock(TerrafieldStore.class), Variable.PM25, "m", Duration.ofMinutes(30)))
        .hasMessageContaining("maxLag");
  }
}
