package io.terrafield.api.forecasts;

import io.terrafield.store.Alert;
import io.terrafield.store.AlertState;
import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies stored alert episodes at stations against the stored observations.
 *
 * <p>An episode (the messages sharing an episode id) warns of its target from the issue time of its
 * first message to the issue time of its {@code CLEARED} message, or, while open, to the latest
 * valid time its messages named. It is a <b>hit</b> when an observation above the alert's threshold
 * fell in that window, a <b>false alarm</b> when the whole window is observed without one (an
 * episode whose window is not yet observed and has no exceedance is pending). An <b>observed
 * event</b> is a run of consecutive observed hours above the threshold at a station; it is
 * <b>detected</b> when an episode window of that station overlaps it. Hit rate = detected events /
 * events; false-alarm ratio = false alarms / (hits + false alarms). Episodes at grid cells have no
 * observation and are not scored. Stateless.
 */
final class AlertVerification {
  private AlertVerification() {}

  /**
   * The alert scores.
   *
   * @param episodes station episodes of the variable in the window
   * @param hits episodes with an observed exceedance in their window
   * @param falseAlarms fully observed episodes without one
   * @param pending episodes not yet decided
   * @param falseAlarmRatio false alarms / (hits + false alarms), null without a decided episode
   * @param observedEvents runs of hours above the threshold observed at the stations
   * @param detectedEvents of those, the runs an episode window overlaps
   * @param hitRate detected / observed events, null without an observed event
   * @param episodesPerStationDay episodes / (stations × days of the window)
   */
  public record Scores(
      int episodes,
      int hits,
      int falseAlarms,
      int pending,
      Double falseAlarmRatio,
      int observedEvents,
      int detectedEvents,
      Double hitRate,
      double episodesPerStationDay) {}

  /** A warned window of one station. */
  record Window(String station, double threshold, Instant from, Instant to) {}

  /** The episode windows of the variable's station alerts. */
  static List<Window> windows(List<Alert> alerts, Variable v, Set<String> stations) {
    Map<String, List<Alert>> episodes = new LinkedHashMap<>();
    for (Alert a : alerts) {
      if (a.variable() == v && stations.contains(a.targetId())) {
        episodes.computeIfAbsent(a.episodeId(), k -> new ArrayList<>()).add(a);
      }
    }
    List<Window> windows = new ArrayList<>();
    for (List<Alert> messages : episodes.values()) {
      Instant from = Instant.MAX;
      Instant to = Instant.MIN;
      Instant cleared = null;
      for (Alert a : messages) {
        from = a.issuedAt().isBefore(from) ? a.issuedAt() : from;
        to = a.validTime().isAfter(to) ? a.validTime() : to;
        if (a.state() == AlertState.CLEARED) {
          cleared = a.issuedAt();
        }
      }
      Alert first = messages.get(0);
      Instant end = cleared != null ? cleared : to;
      windows.add(
          new Window(
              first.targetId(),
              first.threshold(),
              from.truncatedTo(ChronoUnit.HOURS),
              end.truncatedTo(ChronoUnit.HOURS)));
    }
    return windows;
  }

  /**
   * Scores the windows against the observations.
   *
   * @param observed observed values by {@link StoredVerification#key}
   * @param threshold the threshold of the observed events
   * @param from first hour of the window of observed events
   * @param newestObservation the newest observed hour
   */
  static Scores score(
      List<Window> windows,
      Map<String, Double> observed,
      Set<String> stations,
      double threshold,
      Instant from,
      Instant newestObservation) {
    int hits = 0;
    int falseAlarms = 0;
    for (Window w : windows) {
      boolean exceeded = false;
      for (Instant t = w.from(); !t.isAfter(w.to()); t = t.plus(Duration.ofHours(1))) {
        Double y = observed.get(StoredVerification.key(w.station(), t));
        if (y != null && y > w.threshold()) {
          exceeded = true;
          break;
        }
      }
      if (exceeded) {
        hits++;
      } else if (!w.to().isAfter(newestObservation)) {
        falseAlarms++;
      }
    }
    int events = 0;
    int detected = 0;
    for (String station : stations) {
      Instant runStart = null;
      for (Instant t = from; !t.isAfter(newestObservation.plusSeconds(3600)); ) {
        Double y = observed.get(StoredVerification.key(station, t));
        boolean above = y != null && y > threshold && !t.isAfter(newestObservation);
        if (above && runStart == null) {
          runStart = t;
        } else if (!above && runStart != null) {
          events++;
          Instant start = runStart;
          Instant end = t.minus(Duration.ofHours(1));
          if (windows.stream()
              .anyMatch(
                  w ->
                      w.station().equals(station)
                          && !w.from().isAfter(end)
                          && !w.to().isBefore(start))) {
            detected++;
          }
          runStart = null;
        }
        t = t.plus(Duration.ofHours(1));
      }
    }
    double days = Math.max(1, Duration.between(from, newestObservation).toHours() + 1) / 24.0;
    return new Scores(
        windows.size(),
        hits,
        falseAlarms,
        windows.size() - hits - falseAlarms,
        hits + falseAlarms == 0 ? null : (double) falseAlarms / (hits + falseAlarms),
        events,
        detected,
        events == 0 ? null : (double) detected / events,
        stations.isEmpty() ? 0 : windows.size() / (stations.size() * days));
  }
}
