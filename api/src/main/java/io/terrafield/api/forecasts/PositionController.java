package io.terrafield.api.forecasts;

import io.terrafield.api.collections.CollectionsController;
import io.terrafield.store.Variable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * OGC API – EDR position query: {@code GET /collections/{id}/position?coords=POINT(lon lat)}
 * answers with a CoverageJSON {@code Coverage} of domain type {@code PointSeries} (axes x, y, t; 72
 * hourly valid times) whose parameters are the predictive median, mean, the 50/90/95 % interval
 * bounds and the exceedance probability, each an {@code NdArray} over t.
 */
@RestController
public class PositionController {

  /** The CoverageJSON media type. */
  public static final String COVERAGE_JSON = CoverageJson.MEDIA_TYPE;

  private final ForecastService forecasts;

  public PositionController(ForecastService forecasts) {
    this.forecasts = forecasts;
  }

  @GetMapping(
      value = "/collections/{id}/position",
      produces = {COVERAGE_JSON, MediaType.APPLICATION_JSON_VALUE})
  public ResponseEntity<Map<String, Object>> position(
      @PathVariable String id, @RequestParam String coords) {
    Variable v = CollectionsController.pollutant(id);
    WktPoint point = WktPoint.parse(coords);
    PositionForecast f = forecasts.position(v, point.lon(), point.lat());
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(COVERAGE_JSON))
        .body(coverage(f, intervalFactors(forecasts, v), forecasts.modelVersion(v).orElse(null)));
  }

  static Map<String, Object> coverage(
      PositionForecast f, Map<String, Double> intervalFactors, String modelVersion) {
    Map<String, Object> domain =
        CoverageJson.domain("PointSeries", List.of(f.lon()), List.of(f.lat()), f.times());
    Map<String, Object> parameters = new LinkedHashMap<>();
    Map<String, Object> ranges = new LinkedHashMap<>();
    String key = f.variable().key();
    for (Map.Entry<String, double[]> e : f.series().entrySet()) {
      String name = key + "_" + e.getKey();
      Map<String, Object> parameter =
          CoverageJson.parameter(f.variable(), e.getKey(), f.threshold());
      parameters.put(name, parameter);
      Map<String, Object> range = new LinkedHashMap<>();
      range.put("type", "NdArray");
      range.put("dataType", "float");
      range.put("axisNames", List.of("t"));
      range.put("shape", List.of(e.getValue().length));
      range.put("values", rounded(e.getValue()));
      ranges.put(name, range);
    }
    Map<String, Object> coverage = new LinkedHashMap<>();
    coverage.put("type", "Coverage");
    coverage.put("domain", domain);
    coverage.put("parameters", parameters);
    coverage.put("ranges", ranges);
    coverage.put("terrafield:model", ForecastService.MODEL);
    coverage.put("terrafield:issueTime", f.issueTime().toString());
    coverage.put("terrafield:source", f.station() != null ? "station" : "field");
    if (f.station() != null) {
      coverage.put("terrafield:station", f.station());
    }
    coverage.put("terrafield:distanceKm", Math.round(f.distanceKm() * 1000) / 1000.0);
    coverage.put("terrafield:threshold", f.threshold());
    Map<String, Object> factors = new LinkedHashMap<>();
    factors.putAll(intervalFactors);
    // the rolling interval calibration's factor c per lead time (1 = uncalibrated)
    coverage.put("terrafield:intervalFactors", factors);
    coverage.put("terrafield:modelVersion", modelVersion);
    return coverage;
  }

  private static Map<String, Double> intervalFactors(ForecastService forecasts, Variable v) {
    Map<String, Double> out = new LinkedHashMap<>();
    forecasts
        .latestIssue(v)
        .ifPresent(
            issue ->
                issue.targets().get(0).leads().stream()
                    .filter(l -> List.of(1, 6, 24, 48, 72).contains(l.leadHours()))
                    .forEach(
                        l ->
                            out.put(
                                l.leadHours() + " h",
                                Math.round(l.intervalFactor() * 1000) / 1000.0)));
    return out;
  }

  private static double[] rounded(double[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Math.round(values[i] * 1000) / 1000.0;
    }
    return out;
  }
}
