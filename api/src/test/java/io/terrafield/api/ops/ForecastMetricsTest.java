package io.terrafield.api.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.terrafield.store.Alert;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.ForecastRecord;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.Stores;
import io.terrafield.store.TargetKind;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The forecast metrics come from the store alone: issue lag against the clock and against the data,
 * the coverage of the served 90 % intervals, alerts stored since start (whatever their data time);
 * cached for the refresh interval of the injected clock.
 */
class ForecastMetricsTest {

  static final Instant NEWEST_HOUR = Instant.parse("2016-02-10T10:00:00Z");
  static final Instant NOW = Instant.parse("2016-02-10T13:30:00Z");
  static final Station A = station("A", 116.40);
  static final Station B = station("B", 116.50);

  TerrafieldStore store;
  MutableClock clock = new MutableClock(NOW);
  SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void openStore() {
    store = Stores.open("jdbc:h2:mem:ops-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "", "");
    store.upsertStations(List.of(A, B));
    new ForecastMetrics(
            new StoredForecasts(store),
            new AlertsRaised(store),
            List.of(Variable.PM25),
            clock,
            Duration.ofSeconds(30))
        .bindTo(registry);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void beforeAnyForecastTheGaugesAreNaNAndNoAlertIsCounted() {
    assertThat(gauge("terrafield.forecast.issue.lag")).isNaN();
    assertThat(gauge("terrafield.forecast.issue.data.lag")).isNaN();
    assertThat(gauge("terrafield.forecast.served.picp90")).isNaN();
    assertThat(registry.get("terrafield.alerts.raised").functionCounter().count()).isZero();
  }

  @Test
  void lagAndCoverageAreReadFromTheStoredIssuesAndObservations() {
    // Hourly issues up to the newest hour minus two: each issue's lead 1 is its issue time.
    List<ForecastRecord> forecasts = new ArrayList<>();
    List<Observation> observations = new ArrayList<>();
    for (int h = 0; h <= 10; h++) {
      Instant t = NEWEST_HOUR.minus(Duration.ofHours(h));
      observations.add(observation(A, t, 50));
      observations.add(observation(B, t, h % 2 == 0 ? 50 : 500)); // B outside every other hour
      if (h >= 2) {
        forecasts.add(forecast(A, t, t));
        forecasts.add(forecast(B, t, t));
        forecasts.add(forecast(A, t, t.plus(Duration.ofHours(1))));
      }
    }
    store.upsertObservations(observations);
    publish(forecasts);

    Instant newestIssue = NEWEST_HOUR.minus(Duration.ofHours(2));
    assertThat(gauge("terrafield.forecast.issue.lag"))
        .isEqualTo(Duration.between(newestIssue, NOW).toSeconds());
    // The newest issue used data up to 07:00; the store has data up to 10:00.
    assertThat(gauge("terrafield.forecast.issue.data.lag")).isEqualTo(3.0);
    // The newest forecast served for each observed hour: lead 1 for h = 2..10 at A (all inside)
    // and B (inside when h is even: 5 of 9), lead 2 of the newest issue for h = 1 at A (inside).
    assertThat(gauge("terrafield.forecast.served.picp90")).isEqualTo(15.0 / 19.0);
  }

  @Test
  void theFiguresAreReadAtMostOncePerRefresh() {
    publish(List.of(forecast(A, NEWEST_HOUR, NEWEST_HOUR)));
    double lag = gauge("terrafield.forecast.issue.lag");
    publish(List.of(forecast(A, NOW, NOW)));
    assertThat(gauge("terrafield.forecast.issue.lag")).isEqualTo(lag);
    clock.advance(Duration.ofSeconds(30));
    assertThat(gauge("terrafield.forecast.issue.lag")).isEqualTo(30.0);
  }

  @Test
  void alertsStoredSinceStartAreCountedOnceEach() {
    // an issue time before the clock's (a replay) counts: stored after start
    store.upsertAlerts(
        List.of(alert("old", NOW.minusSeconds(3600)), alert("a1", NOW), alert("a2", NOW)));
    assertThat(registry.get("terrafield.alerts.raised").functionCounter().count()).isEqualTo(3);
    store.upsertAlerts(List.of(alert("a3", NOW), alert("a4", NOW.plusSeconds(5))));
    assertThat(registry.get("terrafield.alerts.raised").functionCounter().count()).isEqualTo(5);
    assertThat(registry.get("terrafield.alerts.raised").functionCounter().count()).isEqualTo(5);
  }

  @Test
  void aReplaysAlertsStoredAfterStartCountWhateverTheirDataTimeAndTheStoredOnesDoNot() {
    // The demo: the clock says 2026, the replayed issues 2016; a warm store already holds alerts.
    Instant replay = Instant.parse("2016-01-01T03:00:00Z");
    store.upsertAlerts(
        List.of(
            alert("before-1", replay.minusSeconds(7200)),
            alert("before-2", replay),
            alert("before-3", replay)));
    SimpleMeterRegistry started = new SimpleMeterRegistry();
    new ForecastMetrics(
            new StoredForecasts(store),
            new AlertsRaised(store),
            List.of(Variable.PM25),
            Clock.fixed(Instant.parse("2026-12-01T03:43:02Z"), ZoneOffset.UTC),
            Duration.ofSeconds(30))
        .bindTo(started);
    assertThat(started.get("terrafield.alerts.raised").functionCounter().count()).isZero();
    // another variable's alert at the same issue time, the next issues, a re-delivered one
    store.upsertAlerts(List.of(alert("same-hour", replay), alert("before-2", replay)));
    store.upsertAlerts(List.of(alert("next-1", replay.plusSeconds(3600))));
    List<Alert> many = new ArrayList<>();
    for (int i = 0; i < 1200; i++) { // more than a page at one issue time
      many.add(alert("next-2-" + i, replay.plusSeconds(7200)));
    }
    store.upsertAlerts(many);
    assertThat(started.get("terrafield.alerts.raised").functionCounter().count())
        .isEqualTo(1 + 1 + 1200);
    assertThat(AlertsRaised.newestIssueTime(store)).isEqualTo(replay.plusSeconds(7200));
  }

  double gauge(String name) {
    return registry.get(name).tag("variable", "pm25").gauge().value();
  }

  static Station station(String id, double lon) {
    return new Station(id, id, lon, 39.9, null, "test", Map.of());
  }

  static Observation observation(Station s, Instant t, double pm25) {
    return new Observation(s.id(), t, Map.of(Variable.PM25, pm25), null, 1);
  }

  static ForecastRecord forecast(Station s, Instant issue, Instant valid) {
    int lead = (int) Duration.between(issue, valid).toHours() + 1;
    return new ForecastRecord(
        s.id(),
        TargetKind.STATION,
        s.lon(),
        s.lat(),
        Variable.PM25,
        "cglubnf",
        "test-v1",
        issue,
        valid,
        lead,
        new ForecastRecord.Quantiles(10, 20, 40, 50, 60, 80, 90),
        50,
        75,
        0.1,
        null,
        null,
        1.0);
  }

  /** Publishes the forecasts as issues (one per issue time), as the forecast job does. */
  void publish(List<ForecastRecord> forecasts) {
    Map<Instant, List<ForecastRecord>> byIssue = new TreeMap<>();
    for (ForecastRecord f : forecasts) {
      byIssue.computeIfAbsent(f.issueTime(), t -> new ArrayList<>()).add(f);
    }
    byIssue.forEach(
        (t, fs) ->
            store.putIssue(
                new ForecastIssue(
                    Variable.PM25,
                    "cglubnf",
                    t,
                    "test-v1",
                    t,
                    (int) fs.stream().map(ForecastRecord::targetId).distinct().count(),
                    0,
                    0,
                    fs.stream().mapToInt(ForecastRecord::horizonH).max().orElse(0)),
                fs));
  }

  static Alert alert(String id, Instant issuedAt) {
    return new Alert(id, "A", Variable.PM25, issuedAt, 75, 0.8, issuedAt, null);
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
