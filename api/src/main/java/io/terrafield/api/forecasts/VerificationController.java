package io.terrafield.api.forecasts;

import io.terrafield.api.collections.CollectionsController;
import io.terrafield.forecasting.serving.ServedVerification;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.LatestValue;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /collections/{id}/verification?days=7}: the scores of the forecasts the forecast job
 * stored for the issues of the last {@code days} days (1..30) before the newest one, against the
 * observations stored later, per band of lead times (CRPS, MAE, PICP90, PICP95, MPIW95, next to
 * persistence issued at the same times; the metrics code of {@code terrafield forecast evaluate},
 * see {@link StoredVerification}), and the alert verification of the alert episodes of the same
 * window (hit rate, false-alarm ratio, see {@link AlertVerification}), with the newest issue and
 * the forecast domain. Computed from the store only, so it survives restarts and every api instance
 * answers the same; the answer is computed once per (newest issue, newest observation, days).
 */
@RestController
public class VerificationController {

  private static final int MAX_DAYS = 30;
  private static final int MAX_ALERTS = 100_000;

  private final TerrafieldStore store;
  private final StoredIssues issues;
  private final Clock clock;
  private final StoredVerification scores;
  private final Map<String, Verification> answers = new ConcurrentHashMap<>();

  private final org.springframework.beans.factory.ObjectProvider<ForecastTrainer> trainer;

  public VerificationController(
      TerrafieldStore store,
      StoredIssues issues,
      Clock clock,
      org.springframework.beans.factory.ObjectProvider<ForecastTrainer> trainer) {
    this.store = store;
    this.issues = issues;
    this.clock = clock;
    this.trainer = trainer;
    this.scores = new StoredVerification(store);
  }

  /**
   * The verification answer.
   *
   * @param variable the collection id
   * @param status {@code serving} once an issue is stored, else the training phase of {@link
   *     ForecastTrainer} (waiting, loading, fitting, published, failed) with the reason
   * @param modelVersion the newest issue's model artifact (null before the first issue)
   * @param issueTime the newest issue's first valid time (null before the first issue)
   * @param newestObservation the newest stored observation hour of the variable (null: none)
   * @param domain the forecast domain: radius in km and bounding box (null before the first issue)
   * @param from the issue time of the oldest scored issue (null: none)
   * @param issues the number of scored issues
   * @param bands the verification per band of lead times
   * @param alerts the verification of the alert episodes at stations in the same window
   */
  public record Verification(
      String variable,
      ForecastStatus status,
      String modelVersion,
      Instant issueTime,
      Instant newestObservation,
      Domain domain,
      Instant from,
      int issues,
      List<ServedVerification.Band> bands,
      AlertVerification.Scores alerts) {}

  /**
   * The forecast domain.
   *
   * @param radiusKm forecasts are served within this distance of the nearest station
   * @param bbox minLon, minLat, maxLon, maxLat of the domain, degrees
   */
  public record Domain(double radiusKm, double[] bbox) {}

  @GetMapping("/collections/{id}/verification")
  public Verification verification(
      @PathVariable String id, @RequestParam(defaultValue = "7") int days) {
    Variable v = CollectionsController.pollutant(id);
    if (days < 1 || days > MAX_DAYS) {
      throw new IllegalArgumentException("days: " + days + " is not in [1, " + MAX_DAYS + "]");
    }
    Instant newestObservation =
        store.latestValues(v).stream()
            .map(LatestValue::time)
            .max(Instant::compareTo)
            .map(t -> t.truncatedTo(ChronoUnit.HOURS))
            .orElse(null);
    ForecastIssue newest = store.newestIssue(v, StoredIssues.MODEL).orElse(null);
    if (newest == null) {
      ForecastTrainer training = trainer.getIfAvailable();
      ForecastStatus status =
          training != null
              ? training.status(v)
              : new ForecastStatus(
                  "waiting",
                  "no "
                      + v.key()
                      + " forecast is stored yet; the forecast job publishes one once the"
                      + " model is trained and hourly observations arrive",
                  clock.instant());
      return new Verification(
          v.key(),
          status,
          null,
          null,
          newestObservation,
          null,
          null,
          0,
          new ServedVerification().bands(),
          null);
    }
    String key = v.key() + "|" + newest.issueTime() + "|" + newestObservation + "|" + days;
    Verification cached = answers.get(key);
    if (cached != null) {
      return cached;
    }
    Verification fresh = compute(v, newest, newestObservation, days);
    if (answers.size() > 64) {
      answers.clear();
    }
    answers.put(key, fresh);
    return fresh;
  }

  private Verification compute(
      Variable v, ForecastIssue newest, Instant newestObservation, int days) {
    Instant from = newest.issueTime().minus(Duration.ofDays(days));
    List<ForecastIssue> window =
        issues.issues(v, days * 24 + 1).stream()
            .filter(i -> !i.issueTime().isBefore(from))
            .toList();
    StoredIssue issue = issues.newest(v);
    ServedVerification verification = scores.verify(v, window, newestObservation);
    Instant oldest = window.isEmpty() ? null : window.get(window.size() - 1).issueTime();
    AlertVerification.Scores alerts = null;
    if (oldest != null && newestObservation != null) {
      Set<String> stations = new TreeSet<>();
      issue.stations().forEach(s -> stations.add(s.id()));
      List<AlertVerification.Window> windows =
          AlertVerification.windows(store.alertsIssuedSince(oldest, MAX_ALERTS), v, stations);
      alerts =
          AlertVerification.score(
              windows,
              scores.observations(v, stations, oldest, newestObservation),
              stations,
              issue.threshold(),
              oldest,
              newestObservation);
    }
    return new Verification(
        v.key(),
        new ForecastStatus(
            "serving",
            "serving the forecasts issued at "
                + newest.issueTime()
                + " by model "
                + newest.modelVersion(),
            newest.issuedAt()),
        newest.modelVersion(),
        newest.issueTime(),
        newestObservation,
        new Domain(issue.domain().radiusKm(), issue.domain().bbox()),
        oldest,
        window.size(),
        verification.bands(),
        alerts);
  }
}
