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
import java.util.Arrays;
import java.util.HashMap;
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
 * 0.5, clear 0.3, update step 0.2, leads 1..24 h) — both on the same issues.
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
          if (t.leads().stream().anyMatch(l -> l.exceedanceProbability() >= 0.5)) {
            oldRule++;
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
          }
        }
      }
    }
    double stationDays = all.stations().size() * (double) days;
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
}
