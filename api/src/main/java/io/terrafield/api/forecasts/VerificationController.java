package io.terrafield.api.forecasts;

import io.terrafield.api.collections.CollectionsController;
import io.terrafield.forecasting.serving.ForecastDomain;
import io.terrafield.forecasting.serving.IssuedForecast;
import io.terrafield.forecasting.serving.ServedVerification;
import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /collections/{id}/verification}: what the forecast service is doing, and the scores of
 * the forecasts it actually issued against the observations that arrived later (per band of lead
 * times: CRPS, MAE, PICP90, PICP95, MPIW95, next to persistence issued at the same times; the same
 * metric code as {@code terrafield forecast evaluate}), with the issue lag and the forecast domain.
 */
@RestController
public class VerificationController {

  private final ForecastService forecasts;

  public VerificationController(ForecastService forecasts) {
    this.forecasts = forecasts;
  }

  /**
   * The verification answer.
   *
   * @param variable the collection id
   * @param status what the service is doing
   * @param modelVersion the served field's artifact version (null before the first fit)
   * @param issueTime the newest issue's first valid time (null before the first issue)
   * @param newestObservation the newest stored hour the issue used (issue time − 1 h)
   * @param domain the forecast domain: radius in km and bounding box (null before the first fit)
   * @param bands the verification per band of lead times
   */
  public record Verification(
      String variable,
      ForecastStatus status,
      String modelVersion,
      Instant issueTime,
      Instant newestObservation,
      Domain domain,
      List<ServedVerification.Band> bands) {}

  /**
   * The forecast domain.
   *
   * @param radiusKm forecasts are served within this distance of the nearest station
   * @param bbox minLon, minLat, maxLon, maxLat of the domain, degrees
   */
  public record Domain(double radiusKm, double[] bbox) {}

  @GetMapping("/collections/{id}/verification")
  public Verification verification(@PathVariable String id) {
    Variable v = CollectionsController.pollutant(id);
    IssuedForecast issue = forecasts.latestIssue(v).orElse(null);
    ForecastDomain domain = forecasts.domain(v).orElse(null);
    return new Verification(
        v.key(),
        forecasts.status(v),
        forecasts.modelVersion(v).orElse(null),
        issue == null ? null : issue.issueTime(),
        issue == null ? null : issue.issueTime().minus(Duration.ofHours(1)),
        domain == null ? null : new Domain(domain.radiusKm(), domain.bbox()),
        forecasts.verification(v).map(ServedVerification::bands).orElse(List.of()));
  }
}
