package io.terrafield.ingest.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.terrafield.forecasting.AirQualityDatasets;
import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.SpaceTimeSeries;
import io.terrafield.forecasting.alerts.AlertLifecycle;
import io.terrafield.forecasting.alerts.AlertSignal;
import io.terrafield.forecasting.alerts.AlertSignals;
import io.terrafield.forecasting.alerts.AlertTransition;
import io.terrafield.forecasting.alerts.Episode;
import io.terrafield.forecasting.categories.AirQualityCategories;
import io.terrafield.forecasting.categories.CategoryScheme;
import io.terrafield.forecasting.categories.CategoryTable;
import io.terrafield.forecasting.serving.IssuedForecast;
import io.terrafield.forecasting.training.FieldTraining;
import io.terrafield.forecasting.training.ModelDirectory;
import io.terrafield.ingest.SharedData;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measurement for issue #11, not part of the build (the class name is not a test name): run
 * with {@code ./mvnw -pl ingest -am test -Dtest=AlertEpisodesMeasurement
 * -Dsurefire.failIfNoSpecifiedTests=false -Dterrafield.measureAlerts=true}, a few minutes: on the
 * real Beijing PM2.5 of December 2015, a small field trained on the 30 days before and issued every
 * hour for 14 days, alert messages per station-day under the old rule (one alert per station and
 * issue when P(exceedance) ≥ 0.5 at some lead of 1..72 h) and under the episode lifecycle (raise
 * 0.5, clear 0.3, update step 0.2, leads 1..24 h) — both on the same issues. For both rules it also
 * prints episodes per station-day (under the old rule each message is its own warning), hit rate
 * and false-alarm ratio against the real observations, by the definitions of {@code GET
 * /collections/{id}/verification} in docs/forecasts.md (see {@link #score}).
 */
class AlertEpisodesMeasurement {
  static final ZoneOffset ZONE = ZoneOffset.ofHours(8);

  @TempDir Path models;

  @Test
  void episodesPerStationDayNextToOneAlertPerIssue() {
    assumeTrue(Boolean.getBoolean("terrafield.measureAlerts"), "-Dterrafield.measureAlerts=true");
    Path dir = SharedData.require("airquality/beijing");
    SpaceTimeSeries all = AirQualityDatasets.read("beijing", dir, "PM2.5");
    int trainEnd = all.indexOf(LocalDateTime.parse("2015-12-01T00:00"));
    int trainHours = 30 * 24;
    int days = 14;
    FieldConfig config = new FieldConfig(true, true, 2, 32, 2, 5, 3, 1024, 0.005, 8, 16, 42);
    double[][] train = new double[all.stations().size()][];
    for (int s = 0; s < train.length; s++) {
      train[s] = Arrays.copyOfRange(all.values()[s], trainEnd - trainHours, trainEnd);
    }
    SpaceTimeSeries history =
        new SpaceTimeSeries(
            "pm25", all.stations(), all.time(trainEnd - trainHours), Duration.ofHours(1), train);
    FieldTraining.train(
        "pm25",
        history,
        all.time(trainEnd - 1).toInstant(ZONE),
        ZONE,
        config,
        new ModelDirectory(models),
        new PrintStream(OutputStream.nullOutputStream()),
        Clock.systemUTC());
    ForecastJobOptions options =
        new ForecastJobOptions(
            models.toString(),
            List.of("pm25"),
            config,
            ZONE,
            75,
            72,
            (days + 1) * 24,
            trainHours + (days + 2) * 24,
            0,
            0,
            CategoryScheme.US_EPA_AQI,
            0.5,
            0.3,
            0.2,
            24,
            Duration.ZERO,
            false,
            Duration.ZERO,
            Clock.systemUTC());
    Map<Long, Map<String, Double>> window = new TreeMap<>();
    for (int t = trainEnd - trainHours; t < trainEnd + days * 24; t++) {
      Map<String, Double> hour = new HashMap<>();
      for (int s = 0; s < all.stations().size(); s++) {
        double y = all.values()[s][t];
        if (!Double.isNaN(y)) {
          hour.put(all.stations().get(s).id(), y);
        }
      }
      window.put(all.time(t).toInstant(ZONE).toEpochMilli(), hour);
    }
    AlertLifecycle lifecycle = new AlertLifecycle(0.5, 0.3, 0.2);
    CategoryTable table =
        AirQualityCategories.table(CategoryScheme.US_EPA_AQI, "pm25").orElseThrow();
    Map<String, Episode> open = new HashMap<>();
    // warned windows for the verification below: the old rule's messages (each its own warning,
    // from its issue time to the first valid time with p >= 0.5, the hour the alert named) and the
    // lifecycle's episodes (from the first message's issue time to the CLEARED message's issue
    // time, or, still open at the end, the latest valid time its messages named)
    List<Window> oldWindows = new ArrayList<>();
    Map<String, EpisodeWindow> episodeWindows = new LinkedHashMap<>();
    long oldRule = 0;
    long raised = 0;
    long messages = 0;
    long issues = 0;
    try (ForecastIssuer issuer = new ForecastIssuer("pm25", options)) {
      for (int h = 0; h < days * 24; h++) {
        Instant issueTime = all.time(trainEnd + h).toInstant(ZONE);
        IssuedForecast f = issuer.issue(issueTime, window).orElseThrow().stations();
        issues++;
        for (IssuedForecast.Target t : f.targets()) {
          var firstAbove =
              t.leads().stream().filter(l -> l.exceedanceProbability() >= 0.5).findFirst();
          if (firstAbove.isPresent()) {
            oldRule++;
            oldWindows.add(
                new Window(
                    t.id(),
                    issueTime.truncatedTo(ChronoUnit.HOURS),
                    firstAbove.get().validTime().truncatedTo(ChronoUnit.HOURS)));
          }
          AlertSignal signal = AlertSignals.of(issueTime, t, 24, m -> table.classify(m).label());
          AlertTransition step = lifecycle.next(open.get(t.id()), t.id(), "pm25", signal);
          if (step.episode() == null) {
            open.remove(t.id());
          } else {
            open.put(t.id(), step.episode());
          }
          if (step.message() != null) {
            messages++;
            raised += step.message().kind() == AlertTransition.Kind.RAISED ? 1 : 0;
            AlertTransition.Message m = step.message();
            EpisodeWindow w =
                episodeWindows.computeIfAbsent(
                    m.episodeId(), k -> new EpisodeWindow(t.id(), m.signal().issueTime()));
            w.latestValid =
                m.signal().validTime().isAfter(w.latestValid)
                    ? m.signal().validTime()
                    : w.latestValid;
            if (m.kind() == AlertTransition.Kind.CLEARED) {
              w.cleared = m.signal().issueTime();
            }
          }
        }
      }
    }
    double stationDays = all.stations().size() * (double) days;
    List<Window> lifecycleWindows = new ArrayList<>();
    for (EpisodeWindow w : episodeWindows.values()) {
      lifecycleWindows.add(
          new Window(
              w.station,
              w.from.truncatedTo(ChronoUnit.HOURS),
              (w.cleared != null ? w.cleared : w.latestValid).truncatedTo(ChronoUnit.HOURS)));
    }
    // the real observations: events are counted over the issue hours; a window is scored with
    // every observation the data set has (to 72 h after the last issue), so no window is pending
    Map<String, Double> observed = new HashMap<>();
    int obsEnd = Math.min(all.length(), trainEnd + days * 24 + 72);
    for (int t = trainEnd; t < obsEnd; t++) {
      for (int s = 0; s < all.stations().size(); s++) {
        double y = all.values()[s][t];
        if (!Double.isNaN(y)) {
          observed.put(key(all.stations().get(s).id(), all.time(t).toInstant(ZONE)), y);
        }
      }
    }
    List<String> stations = all.stations().stream().map(st -> st.id()).toList();
    Instant eventsFrom = all.time(trainEnd).toInstant(ZONE);
    Instant eventsTo = all.time(trainEnd + days * 24 - 1).toInstant(ZONE);
    Instant newestObservation = all.time(obsEnd - 1).toInstant(ZONE);
    Scores oldScores =
        score(oldWindows, observed, stations, 75, eventsFrom, eventsTo, newestObservation);
    Scores lifecycleScores =
        score(lifecycleWindows, observed, stations, 75, eventsFrom, eventsTo, newestObservation);
    System.out.printf(
        Locale.ROOT,
        "alert verification (docs/forecasts.md, GET /collections/{id}/verification), threshold 75,"
            + " %d observed events:%n"
            + "| rule | messages per station-day | episodes per station-day | hit rate | FAR |%n"
            + "| one alert per issue (p >= 0.5, leads 1-72) | %.2f | %.2f | %.3f (%d/%d) |"
            + " %.3f (%d/%d) |%n"
            + "| episode lifecycle (0.5/0.3, step 0.2, leads 1-24) | %.2f | %.2f | %.3f (%d/%d) |"
            + " %.3f (%d/%d) |%n",
        oldScores.events(),
        oldRule / stationDays,
        oldWindows.size() / stationDays,
        oldScores.hitRate(),
        oldScores.detected(),
        oldScores.events(),
        oldScores.far(),
        oldScores.falseAlarms(),
        oldScores.hits() + oldScores.falseAlarms(),
        messages / stationDays,
        lifecycleWindows.size() / stationDays,
        lifecycleScores.hitRate(),
        lifecycleScores.detected(),
        lifecycleScores.events(),
        lifecycleScores.far(),
        lifecycleScores.falseAlarms(),
        lifecycleScores.hits() + lifecycleScores.falseAlarms());
    System.out.printf(
        Locale.ROOT,
        "alert measurement, Beijing PM2.5 2015-12-01..%d days, %d hourly issues, %d stations:%n"
            + "| rule | messages | per station-day | episodes | episodes per station-day |%n"
            + "| one alert per issue (p >= 0.5, leads 1-72) | %d | %.2f | - | - |%n"
            + "| episode lifecycle (0.5/0.3, step 0.2, leads 1-24) | %d | %.2f | %d | %.2f |%n",
        days,
        issues,
        all.stations().size(),
        oldRule,
        oldRule / stationDays,
        messages,
        messages / stationDays,
        raised,
        raised / stationDays);
    assertThat(messages).isLessThan(oldRule);
  }

  // The verification of docs/forecasts.md (GET /collections/{id}/verification). The project's
  // implementation, io.terrafield.api.forecasts.AlertVerification, lives in api (package-private,
  // over stored alerts), which ingest cannot depend on; this is the same computation on the
  // harness's in-memory windows, with one difference: events are counted over [eventsFrom,
  // eventsTo] (the issue hours) while windows are scored against observations to
  // newestObservation.

  /** A warned window of one station, whole hours, both ends included. */
  record Window(String station, Instant from, Instant to) {}

  /** The lifecycle episode being accumulated from its messages. */
  static final class EpisodeWindow {
    final String station;
    final Instant from;
    Instant latestValid = Instant.MIN;
    Instant cleared;

    EpisodeWindow(String station, Instant from) {
      this.station = station;
      this.from = from;
    }
  }

  record Scores(int hits, int falseAlarms, int events, int detected) {
    double hitRate() {
      return events == 0 ? Double.NaN : (double) detected / events;
    }

    double far() {
      return hits + falseAlarms == 0 ? Double.NaN : (double) falseAlarms / (hits + falseAlarms);
    }
  }

  static String key(String station, Instant t) {
    return station + "@" + t;
  }

  /**
   * A hit: an observation above the threshold in the window; a false alarm: a window ending by the
   * newest observation without one (else pending). An event: a run of observed hours above the
   * threshold at a station, detected when a window of that station overlaps it.
   */
  static Scores score(
      List<Window> windows,
      Map<String, Double> observed,
      List<String> stations,
      double threshold,
      Instant eventsFrom,
      Instant eventsTo,
      Instant newestObservation) {
    int hits = 0;
    int falseAlarms = 0;
    for (Window w : windows) {
      boolean exceeded = false;
      for (Instant t = w.from(); !t.isAfter(w.to()); t = t.plus(Duration.ofHours(1))) {
        Double y = observed.get(key(w.station(), t));
        if (y != null && y > threshold) {
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
      for (Instant t = eventsFrom;
          !t.isAfter(eventsTo.plus(Duration.ofHours(1)));
          t = t.plus(Duration.ofHours(1))) {
        Double y = observed.get(key(station, t));
        boolean above = y != null && y > threshold && !t.isAfter(eventsTo);
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
      }
    }
    return new Scores(hits, falseAlarms, events, detected);
  }
}
