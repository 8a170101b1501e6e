package io.terrafield.api.forecasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.terrafield.forecasting.eval.QuantileLevels;
import io.terrafield.store.Alert;
import io.terrafield.store.AlertState;
import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules of the verification from the store: the quantile grid and the alert-episode scores. */
class StoredVerificationRulesTest {

  static final Instant T = Instant.parse("2016-02-05T16:00:00Z");

  @Test
  void theQuantileGridKeepsTheStoredQuantilesAtTheirLevelsAndIsOrdered() {
    double[] stored = {10, 12, 20, 30, 41, 60, 75};
    double[] q = QuantileGrid.of(stored);

    assertThat(q).hasSize(QuantileLevels.LEVELS.length);
    assertThat(q[QuantileLevels.Q025]).isEqualTo(10);
    assertThat(q[QuantileLevels.Q05]).isEqualTo(12);
    assertThat(q[QuantileLevels.Q25]).isEqualTo(20);
    assertThat(q[QuantileLevels.MEDIAN]).isEqualTo(30);
    assertThat(q[QuantileLevels.Q75]).isEqualTo(41);
    assertThat(q[QuantileLevels.Q95]).isEqualTo(60);
    assertThat(q[QuantileLevels.Q975]).isEqualTo(75);
    for (int i = 1; i < q.length; i++) {
      assertThat(q[i]).isGreaterThanOrEqualTo(q[i - 1]);
    }
    // halfway between the 25 % and 50 % levels in probability: halfway in value
    assertThat(q[74]).isCloseTo(25, within(1e-9));
    // below 2.5 %: the slope of the first segment (2 per 2.5 points of level)
    assertThat(q[0]).isCloseTo(10 - 2 * (0.025 - 0.005) / 0.025, within(1e-9));
  }

  static Alert alert(
      String id, String episode, AlertState state, String station, int issued, int valid) {
    return new Alert(
        id,
        episode,
        state,
        station,
        Variable.PM25,
        T.plus(Duration.ofHours(valid)),
        75,
        0.7,
        T.plus(Duration.ofHours(issued)),
        null,
        null,
        "{}");
  }

  @Test
  void episodesAreHitsFalseAlarmsOrPendingAndObservedEventsAreDetectedOrMissed() {
    List<Alert> alerts =
        List.of(
            alert("a", "hit", AlertState.RAISED, "Dongsi", 0, 6),
            alert("b", "hit", AlertState.UPDATED, "Dongsi", 1, 6),
            alert("c", "hit", AlertState.CLEARED, "Dongsi", 5, 6),
            alert("d", "false", AlertState.RAISED, "Dongsi", 20, 24),
            alert("e", "pending", AlertState.RAISED, "Huairou", 40, 80),
            alert("f", "cell", AlertState.RAISED, "cell_0.05_5928_2598", 0, 3));
    Map<String, Double> observed = new HashMap<>();
    for (int h = -1; h <= 50; h++) {
      for (String s : List.of("Dongsi", "Huairou")) {
        observed.put(StoredVerification.key(s, T.plus(Duration.ofHours(h))), 40.0);
      }
    }
    observed.put(StoredVerification.key("Dongsi", T.plus(Duration.ofHours(3))), 90.0);
    observed.put(StoredVerification.key("Dongsi", T.plus(Duration.ofHours(4))), 95.0);
    for (int h = 10; h <= 12; h++) {
      observed.put(StoredVerification.key("Huairou", T.plus(Duration.ofHours(h))), 120.0);
    }
    Set<String> stations = Set.of("Dongsi", "Huairou");

    List<AlertVerification.Window> windows =
        AlertVerification.windows(alerts, Variable.PM25, stations);
    AlertVerification.Scores s =
        AlertVerification.score(
            windows,
            observed,
            stations,
            75,
            T.minus(Duration.ofHours(1)),
            T.plusSeconds(50 * 3600));

    assertThat(windows).hasSize(3);
    assertThat(windows.get(0).to())
        .as("cleared at its issue time")
        .isEqualTo(T.plusSeconds(5 * 3600));
    assertThat(s.episodes()).isEqualTo(3);
    assertThat(s.hits()).isEqualTo(1);
    assertThat(s.falseAlarms()).isEqualTo(1);
    assertThat(s.pending()).isEqualTo(1);
    assertThat(s.falseAlarmRatio()).isEqualTo(0.5);
    assertThat(s.observedEvents()).isEqualTo(2);
    assertThat(s.detectedEvents()).isEqualTo(1);
    assertThat(s.hitRate()).isEqualTo(0.5);
    assertThat(s.episodesPerStationDay()).isCloseTo(3 / (2 * 52 / 24.0), within(1e-9));
  }
}
