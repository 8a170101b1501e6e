package io.terrafield.api.effects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.terrafield.api.problems.NotFoundException;
import io.terrafield.api.problems.Problems;
import io.terrafield.api.problems.QueryParameters;
import io.terrafield.causal.EffectRequest;
import io.terrafield.causal.UnitTable;
import io.terrafield.store.EffectRecord;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Effects as resources. {@code POST /effects} validates the request (400 problem+json naming the
 * field and the value), stores it and queues the estimation by the causal module's {@code
 * EffectEstimator} (the same estimators as {@code terrafield effect estimate}): 202 with {@code
 * Location: /effects/{id}}. {@code GET /effects/{id}} answers the status ({@code queued}, {@code
 * running}, {@code succeeded}, {@code failed}), the request, the result (the fields of the CLI's
 * report.json, snake case) or the error, and the timings; {@code GET /effects} lists the newest. An
 * {@code Idempotency-Key} header makes a retried POST return the same resource. Writes need an API
 * key with the {@code write} role (see {@code io.terrafield.api.security}).
 */
@RestController
public class EffectsController {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final EffectService effects;

  public EffectsController(EffectService effects) {
    this.effects = effects;
  }

  /**
   * The request.
   *
   * @param units one object per unit, mapping column names to numbers ({@code null} = missing;
   *     booleans count as 0/1)
   * @param treatment the binary (0/1) treatment column
   * @param outcome the outcome column
   * @param covariates confounder columns
   * @param estimand {@code ate} (default) or {@code att}
   * @param estimator {@code dim}, {@code ols}, {@code ipw}, {@code aipw} (default) or {@code dml}
   * @param correction {@code none} (default), {@code lcc} or {@code tweedie}
   * @param calibration held-out (prediction, label) pairs of the outcome map, for corrections
   * @param cluster a column of cluster ids for cluster-robust standard errors
   */
  public record EffectsRequest(
      List<Map<String, Object>> units,
      String treatment,
      String outcome,
      List<String> covariates,
      String estimand,
      String estimator,
      String correction,
      CalibrationPairs calibration,
      String cluster) {}

  /** Calibration pairs: the map's predictions and the true labels of the same places. */
  public record CalibrationPairs(double[] predictions, double[] labels) {}

  /** An effect resource: the request, its status, the result or the error, and the timings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EffectResource(
      String id,
      @Schema(allowableValues = {"queued", "running", "succeeded", "failed"}) String status,
      JsonNode request,
      @Schema(description = "the estimate, SE, CI and diagnostics (report.json fields)")
          JsonNode result,
      String error,
      Timings timings,
      List<Link> links) {}

  /** When the effect was accepted, started and finished, and the queue and run durations. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Timings(
      Instant created, Instant started, Instant finished, Long queuedMs, Long runMs) {}

  /** A web link (RFC 8288). */
  public record Link(String href, String rel, String type) {}

  /** The newest effects. */
  public record EffectList(List<EffectResource> effects, int numberReturned, List<Link> links) {}

  @Operation(summary = "Queue an effect estimate; 202 with Location /effects/{id}")
  @PostMapping(
      value = "/effects",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<EffectResource> estimate(
      @RequestBody EffectsRequest request,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      @Parameter(hidden = true)
          @RequestAttribute(name = EffectAdmission.RESERVATION, required = false)
          EffectService.Reservation reservation)
      throws Exception {
    EffectRequest parsed = toRequest(request);
    EffectService.Submission submission =
        effects.submit(JSON.writeValueAsString(request), parsed, idempotencyKey, reservation);
    EffectResource resource = resource(submission.effect());
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .location(URI.create(self(submission.effect().id())))
        .body(resource);
  }

  @Operation(summary = "An effect: status, request, result or error, timings")
  @GetMapping(value = "/effects/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  public EffectResource effect(@PathVariable String id) {
    return effects
        .find(id)
        .map(EffectsController::resource)
        .orElseThrow(() -> new NotFoundException("effect: no effect with id '" + id + "'"));
  }

  @Operation(summary = "The newest effects first")
  @GetMapping(value = "/effects", produces = MediaType.APPLICATION_JSON_VALUE)
  public EffectList list(@RequestParam(name = "limit", required = false) BigInteger asked) {
    int limit = QueryParameters.limit(asked, 20, 1000);
    List<EffectResource> list =
        effects.list(limit).stream().map(EffectsController::resource).toList();
    String base = ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
    return new EffectList(
        list, list.size(), List.of(new Link(base + "/effects", "self", "application/json")));
  }

  @ExceptionHandler(IdempotencyConflictException.class)
  ResponseEntity<ProblemDetail> idempotencyConflict(IdempotencyConflictException e) {
    return ResponseEntity.unprocessableEntity()
        .body(
            Problems.of(
                HttpStatus.UNPROCESSABLE_ENTITY,
                "idempotency-key-reused",
                "Idempotency-Key reused",
                e.getMessage()));
  }

  private static String self(String id) {
    return ServletUriComponentsBuilder.fromCurrentContextPath().toUriString() + "/effects/" + id;
  }

  static EffectResource resource(EffectRecord e) {
    Long queued =
        e.startedAt() == null ? null : Duration.between(e.createdAt(), e.startedAt()).toMillis();
    Long run =
        e.startedAt() == null || e.finishedAt() == null
            ? null
            : Duration.between(e.startedAt(), e.finishedAt()).toMillis();
    return new EffectResource(
        e.id(),
        e.status(),
        tree(e.request()),
        e.result() == null ? null : tree(e.result()),
        e.error(),
        new Timings(e.createdAt(), e.startedAt(), e.finishedAt(), queued, run),
        List.of(new Link(self(e.id()), "self", "application/json")));
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception ex) {
      throw new IllegalStateException("stored effect JSON is unreadable", ex);
    }
  }

  static EffectRequest toRequest(EffectsRequest r) {
    if (r.units() == null || r.units().isEmpty()) {
      throw new IllegalArgumentException("units: missing or empty");
    }
    require("treatment", r.treatment());
    require("outcome", r.outcome());
    Map<String, double[]> columns = new LinkedHashMap<>();
    int n = r.units().size();
    for (int i = 0; i < n; i++) {
      Map<String, Object> unit = r.units().get(i);
      if (unit == null) {
        throw new IllegalArgumentException("units[" + i + "]: null");
      }
      for (Map.Entry<String, Object> e : unit.entrySet()) {
        double[] column = columns.computeIfAbsent(e.getKey(), k -> filledNaN(n));
        column[i] = number(i, e.getKey(), e.getValue());
      }
    }
    for (Map.Entry<String, double[]> e : columns.entrySet()) {
      double sumOfSquares = 0;
      for (double x : e.getValue()) {
        sumOfSquares += Double.isNaN(x) ? 0 : x * x;
      }
      if (!Double.isFinite(sumOfSquares)) {
        throw new IllegalArgumentException(
            "units[*]."
                + e.getKey()
                + ": values too large to estimate with (their sum of squares overflows a double)");
      }
    }
    column(columns, "treatment", r.treatment());
    column(columns, "outcome", r.outcome());
    if (r.covariates() != null) {
      for (int i = 0; i < r.covariates().size(); i++) {
        column(columns, "covariates[" + i + "]", r.covariates().get(i));
      }
    }
    if (r.cluster() != null) {
      column(columns, "cluster", r.cluster());
    }
    double[] treatment = columns.get(r.treatment());
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(treatment[i])) {
        throw new IllegalArgumentException(
            "units[" + i + "]." + r.treatment() + ": the treatment is missing");
      }
      if (treatment[i] != 0 && treatment[i] != 1) {
        throw new IllegalArgumentException(
            "units["
                + i
                + "]."
                + r.treatment()
                + ": treatment value "
                + treatment[i]
                + " is not binary (expected 0/1 or true/false)");
      }
    }
    long treated = java.util.Arrays.stream(treatment).filter(t -> t == 1).count();
    if (treated == 0 || treated == n) {
      // refused at once (400) rather than accepted and failed later: no estimator can answer
      throw new IllegalArgumentException(
          "treatment: column '"
              + r.treatment()
              + "' is "
              + (treated == 0 ? "0" : "1")
              + " for all "
              + n
              + " units: an effect needs treated and control units");
    }
    EffectRequest.Builder builder =
        EffectRequest.builder(UnitTable.ofNumeric(columns), r.treatment(), r.outcome());
    if (r.covariates() != null) {
      builder.covariates(r.covariates());
    }
    if (r.estimand() != null) {
      builder.estimand(EffectRequest.Estimand.parse(r.estimand()));
    }
    if (r.estimator() != null) {
      builder.estimator(EffectRequest.Estimator.parse(r.estimator()));
    }
    if (r.correction() != null) {
      builder.correction(EffectRequest.Correction.parse(r.correction()));
    }
    if (r.calibration() != null) {
      if (r.calibration().predictions() == null || r.calibration().labels() == null) {
        throw new IllegalArgumentException("calibration: needs predictions and labels");
      }
      finite("calibration.predictions", r.calibration().predictions());
      finite("calibration.labels", r.calibration().labels());
      builder.calibration(
          new EffectRequest.Calibration(
              r.calibration().predictions(), r.calibration().labels(), "request"));
    }
    if (r.cluster() != null) {
      builder.cluster(r.cluster());
    }
    return builder.build();
  }

  private static void column(Map<String, double[]> columns, String field, String name) {
    if (name == null || !columns.containsKey(name)) {
      throw new IllegalArgumentException(
          field + ": column '" + name + "' is not in units (columns: " + columns.keySet() + ")");
    }
  }

  private static void finite(String field, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(
            field + "[" + i + "]: '" + values[i] + "' is not a finite number");
      }
    }
  }

  private static void require(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + ": missing");
    }
  }

  private static double number(int unit, String column, Object value) {
    if (value == null) {
      return Double.NaN;
    }
    if (value instanceof Number number) {
      double x = number.doubleValue();
      if (!Double.isFinite(x)) {
        throw new IllegalArgumentException(
            "units[" + unit + "]." + column + ": '" + value + "' is not a finite number");
      }
      return x;
    }
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    throw new IllegalArgumentException(
        "units[" + unit + "]." + column + ": '" + value + "' is not a number");
  }

  private static double[] filledNaN(int n) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, Double.NaN);
    return a;
  }
}
