package io.terrafield.api.forecasts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.terrafield.api.TerrafieldApplication;
import io.terrafield.api.runtime.StreamingRuntime;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.KafkaTestClient;
import io.terrafield.store.Alert;
import io.terrafield.store.AlertState;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.ForecastRecord;
import io.terrafield.store.TargetKind;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code terrafield demo} (the forecast job is the only engine): the training thread fits the field
 * after the history import, the Flink forecast job on the MiniCluster issues station and grid-cell
 * forecasts into the store and {@code aq.forecasts} (CloudEvents), alert episodes into the store,
 * and the trainer reports its artifact published. Prints alert messages and episodes per
 * station-day next to the old one-alert-per-issue rule counted on the same stored issues.
 */
class ForecastJobDemoIT {

  @Test
  void theForecastJobIssuesIntoTheStoreAndKafka() throws Exception {
    Path models = Files.createTempDirectory("terrafield-models");
    ConfigurableApplicationContext app =
        SpringApplication.run(
            TerrafieldApplication.class,
            "--server.port=0",
            "--terrafield.mode=embedded",
            "--terrafield.data=" + Path.of("../demo-data").toAbsolutePath(),
            "--terrafield.store.url=jdbc:h2:mem:jobdemo-"
                + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1",
            "--terrafield.replay.speedup=7200",
            "--terrafield.history.days=7",
            "--terrafield.flink.checkpoint-interval=1s",
            "--terrafield.forecast.cell-size=0.1",
            "--terrafield.forecast.interval=2s",
            "--terrafield.forecast.min-history=5d",
            "--terrafield.forecast.history-days=7",
            "--terrafield.forecast.members=4",
            "--terrafield.forecast.width=64",
            "--terrafield.forecast.epochs=3",
            "--terrafield.forecast.batch-size=256",
            "--terrafield.forecast.model-dir=" + models.toAbsolutePath());
    try {
      TerrafieldStore store = app.getBean(TerrafieldStore.class);
      long deadline = System.nanoTime() + 400_000_000_000L;
      List<ForecastIssue> issues = store.issues(Variable.PM25, "cglubnf", 1000);
      while (System.nanoTime() < deadline && issues.isEmpty()) {
        Thread.sleep(2000);
        issues = store.issues(Variable.PM25, "cglubnf", 1000);
      }
      assertThat(issues).as("issues published by the forecast job").isNotEmpty();
      long more = System.nanoTime() + 90_000_000_000L;
      while (System.nanoTime() < more && issues.size() < 24) {
        Thread.sleep(2000);
        issues = store.issues(Variable.PM25, "cglubnf", 1000);
      }
      ForecastIssue newest = store.newestIssue(Variable.PM25, "cglubnf").orElseThrow();
      assertThat(newest.stationCount()).isEqualTo(12);
      assertThat(newest.cellCount()).isPositive();
      List<ForecastRecord> records =
          store.issueForecasts(Variable.PM25, "cglubnf", newest.issueTime(), null);
      assertThat(records).hasSize((newest.stationCount() + newest.cellCount()) * 72);
      assertThat(records).extracting(ForecastRecord::category).doesNotContainNull();
      assertThat(app.getBean(ForecastTrainer.class).status(Variable.PM25).phase())
          .isEqualTo("published");
      // a variable that is not forecast says so instead of waiting for a model that never comes
      assertThat(app.getBean(ForecastTrainer.class).status(Variable.PM10).message())
          .isEqualTo(
              "pm10 is not forecast (forecast variables: [pm25];"
                  + " terrafield.forecast.variables)");

      StreamingRuntime runtime = app.getBean(StreamingRuntime.class);
      List<JsonNode> messages =
          KafkaTestClient.consumeJson(runtime.bootstrapServers(), Topics.FORECASTS);
      assertThat(messages).isNotEmpty();
      assertThat(messages.get(0).get("type").asText()).isEqualTo("io.terrafield.forecast.issued");
      assertThat(messages.get(0).at("/data/forecasts")).hasSize(72);

      measureAlerts(store, issues);
    } finally {
      app.close();
    }
  }

  /**
   * Alert messages and episodes per station-day, next to one alert per issue on the same issues.
   */
  private static void measureAlerts(TerrafieldStore store, List<ForecastIssue> issues) {
    int oldRule = 0;
    Set<String> stations = new HashSet<>();
    Instant first = issues.get(issues.size() - 1).issueTime();
    Instant last = issues.get(0).issueTime();
    for (ForecastIssue issue : issues) {
      Map<String, List<ForecastRecord>> byStation =
          store
              .issueForecasts(Variable.PM25, "cglubnf", issue.issueTime(), TargetKind.STATION)
              .stream()
              .collect(Collectors.groupingBy(ForecastRecord::targetId));
      stations.addAll(byStation.keySet());
      for (List<ForecastRecord> leads : byStation.values()) {
        if (leads.stream().anyMatch(r -> r.exceedanceProbability() >= 0.5)) {
          oldRule++;
        }
      }
    }
    List<Alert> alerts =
        store.alertsIssuedSince(first, 1_000_000).stream()
            .filter(a -> stations.contains(a.targetId()))
            .toList();
    long episodes = alerts.stream().filter(a -> a.state() == AlertState.RAISED).count();
    double stationDays = stations.size() * (issues.size() / 24.0);
    System.out.printf(
        Locale.ROOT,
        "alert measurement (demo replay, %d hourly issues %s..%s, %d stations, %.1f station-days):%n"
            + "| rule | station messages | per station-day | episodes | per station-day |%n"
            + "| one alert per issue (p >= 0.5 at a lead 1-72 h) | %d | %.2f | - | - |%n"
            + "| episodes (raise 0.5, clear 0.3, leads 1-24 h) | %d | %.2f | %d | %.2f |%n",
        issues.size(),
        first,
        last,
        stations.size(),
        stationDays,
        oldRule,
        oldRule / stationDays,
        alerts.size(),
        alerts.size() / stationDays,
        episodes,
        episodes / stationDays);
    Optional<Alert> any = alerts.stream().findFirst();
    any.ifPresent(a -> System.out.println("example stored alert: " + a.payload()));
  }
}
