package io.terrafield.forecasting.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.terrafield.forecasting.alerts.AlertTransition.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {

  private static final Instant T0 = Instant.parse("2017-01-01T00:00:00Z");
  private final AlertLifecycle lifecycle = new AlertLifecycle(0.5, 0.3, 0.2);

  private static AlertSignal signal(int hour, double p, String category) {
    Instant issue = T0.plus(Duration.ofHours(hour));
    return new AlertSignal(issue, p, issue.plus(Duration.ofHours(6)), 80, category);
  }

  /** The messages of a probability sequence, one issue per hour. */
  private List<AlertTransition.Message> run(AlertLifecycle rule, double... probabilities) {
    List<AlertTransition.Message> out = new ArrayList<>();
    Episode open = null;
    for (int i = 0; i < probabilities.length; i++) {
      AlertTransition t = rule.next(open, "A", "pm25", signal(i, probabilities[i], "Unhealthy"));
      open = t.episode();
      if (t.message() != null) {
        out.add(t.message());
      }
    }
    return out;
  }

  @Test
  void raisesOnceUpdatesOnAChangeAndClearsBelowTheLowerLevel() {
    List<AlertTransition.Message> m = run(lifecycle, 0.1, 0.6, 0.65, 0.9, 0.8, 0.2, 0.1);
    assertThat(m)
        .extracting(AlertTransition.Message::kind)
        .containsExactly(Kind.RAISED, Kind.UPDATED, Kind.CLEARED);
    assertThat(m).extracting(AlertTransition.Message::episodeId).containsOnly(m.get(0).episodeId());
    assertThat(m).extracting(AlertTransition.Message::sequence).containsExactly(1, 2, 3);
    assertThat(m.get(2).peakProbability()).isEqualTo(0.9);
    assertThat(m.get(0).signal().issueTime()).isEqualTo(T0.plus(Duration.ofHours(1)));
  }

  @Test
  void aCategoryChangeSendsAnUpdate() {
    Episode open = lifecycle.next(null, "A", "pm25", signal(0, 0.6, "Unhealthy")).episode();
    AlertTransition t = lifecycle.next(open, "A", "pm25", signal(1, 0.62, "Very Unhealthy"));
    assertThat(t.message().kind()).isEqualTo(Kind.UPDATED);
    assertThat(t.episode().sentCategory()).isEqualTo("Very Unhealthy");
    assertThat(
            lifecycle.next(t.episode(), "A", "pm25", signal(2, 0.61, "Very Unhealthy")).message())
        .isNull();
  }

  @Test
  void aProbabilityOscillatingAroundTheRaiseLevelIsOneEpisode() {
    double[] p = new double[48];
    for (int i = 0; i < p.length; i++) {
      p[i] = i % 2 == 0 ? 0.49 : 0.51;
    }
    p[0] = 0.1;
    List<AlertTransition.Message> m = run(lifecycle, p);
    assertThat(m).extracting(AlertTransition.Message::kind).containsExactly(Kind.RAISED);
    // without hysteresis (clear = raise) the same sequence flaps: a raise and a clear per cycle
    List<AlertTransition.Message> flapping = run(new AlertLifecycle(0.5, 0.5, 0.2), p);
    assertThat(flapping.stream().filter(x -> x.kind() == Kind.RAISED).count()).isEqualTo(24);
  }

  @Test
  void noisyProbabilitiesAroundTheLevelGiveFewEpisodesSeeded() {
    // A seeded AR(1) probability around the raise level: every crossing of 0.5 would be an
    // episode without hysteresis; with a clear level 0.2 below, an episode needs the noise to
    // travel the whole band, which for these settings happens rarely.
    Random random = new Random(42);
    double[] p = new double[24 * 60];
    double x = 0.5;
    for (int i = 0; i < p.length; i++) {
      x = 0.5 + 0.8 * (x - 0.5) + 0.05 * random.nextGaussian();
      p[i] = Math.min(1, Math.max(0, x));
    }
    long withHysteresis = run(lifecycle, p).stream().filter(m -> m.kind() == Kind.RAISED).count();
    long withoutHysteresis =
        run(new AlertLifecycle(0.5, 0.5, 0.2), p).stream()
            .filter(m -> m.kind() == Kind.RAISED)
            .count();
    // five seeds of the same process (simulated apart): 137-164 crossings, 3-7 episodes
    assertThat(withoutHysteresis).isGreaterThan(100);
    assertThat(withHysteresis).isPositive().isLessThan(withoutHysteresis / 10);
  }

  @Test
  void episodeIdsAreStableAcrossReplays() {
    String a = lifecycle.next(null, "A", "pm25", signal(3, 0.7, null)).episode().id();
    String b = lifecycle.next(null, "A", "pm25", signal(3, 0.7, null)).episode().id();
    String other = lifecycle.next(null, "B", "pm25", signal(3, 0.7, null)).episode().id();
    assertThat(a).isEqualTo(b).isNotEqualTo(other);
  }

  @Test
  void badSettingsAreRefusedByName() {
    assertThatThrownBy(() -> new AlertLifecycle(0.5, 0.6, 0.1))
        .hasMessage("clearLevel: must be in [0, raiseLevel=0.5], was 0.6");
    assertThatThrownBy(() -> new AlertLifecycle(0, 0, 0.1))
        .hasMessage("raiseLevel: must be in (0, 1], was 0.0");
    assertThatThrownBy(() -> new AlertSignal(T0, 1.2, T0, 1, null))
        .hasMessageContaining("probability must be in [0, 1], was 1.2");
  }
}
