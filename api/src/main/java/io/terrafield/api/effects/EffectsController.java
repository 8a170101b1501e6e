package io.terrafield.api.effects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.terrafield.causal.EffectEstimator;
import io.terrafield.causal.EffectRequest;
import io.terrafield.causal.EffectResult;
import io.terrafield.causal.UnitTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /effects}: a treatment-effect estimate over units given in the request, computed by
 * the causal module's {@link EffectEstimator} (the same estimators as {@code terrafield effect
 * estimate}). The answer has the fields of the CLI's report.json (snake case). Bad input is a 400
 * problem+json whose detail names the field and the value.
 */
@RestController
public class EffectsController {

  private static final ObjectMapper SNAKE_CASE =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private final EffectEstimator estimator = new EffectEstimator();

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

  @PostMapping(
      value = "/effects",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  public JsonNode estimate(@RequestBody EffectsRequest request) {
    EffectResult result = estimator.estimate(toRequest(request));
    return SNAKE_CASE.valueToTree(result);
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
      builder.calibration(
          new EffectRequest.Calibration(
              r.calibration().predictions(), r.calibration().labels(), "request"));
    }
    if (r.cluster() != null) {
      builder.cluster(r.cluster());
    }
    return builder.build();
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
      return number.doubleValue();
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
