package io.terrafield.api.forecasts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The position answer in each {@link QueryFormat}: a CoverageJSON {@code PointSeries} (axes x, y,
 * t; one {@code NdArray} over t per series), a GeoJSON FeatureCollection (one Point feature per
 * valid time, EDR feature properties plus the series) or CSV (one row per valid time).
 */
final class PositionAnswers {
  private PositionAnswers() {}

  static Object body(
      QueryFormat format, IssuePosition f, Map<String, Double> intervalFactors, String self) {
    return switch (format) {
      case COVERAGE_JSON -> coverage(f, intervalFactors);
      case GEO_JSON -> geoJson(f, self);
      case CSV -> csv(f);
    };
  }

  static Map<String, Object> coverage(IssuePosition f, Map<String, Double> intervalFactors) {
    Map<String, Object> domain =
        CoverageJson.domain("PointSeries", List.of(f.lon()), List.of(f.lat()), f.times());
    Map<String, Object> parameters = new LinkedHashMap<>();
    Map<String, Object> ranges = new LinkedHashMap<>();
    String key = f.variable().key();
    for (Map.Entry<String, double[]> e : f.series().entrySet()) {
      String name = key + "_" + e.getKey();
      parameters.put(name, CoverageJson.parameter(f.variable(), e.getKey(), f.threshold()));
      Map<String, Object> range = new LinkedHashMap<>();
      range.put("type", "NdArray");
      range.put("dataType", "float");
      range.put("axisNames", List.of("t"));
      range.put("shape", List.of(e.getValue().length));
      range.put("values", new CoverageJson.Values(e.getValue()));
      ranges.put(name, range);
    }
    Map<String, Object> coverage = new LinkedHashMap<>();
    coverage.put("type", "Coverage");
    coverage.put("domain", domain);
    coverage.put("parameters", parameters);
    coverage.put("ranges", ranges);
    coverage.put("terrafield:model", StoredIssues.MODEL);
    coverage.put("terrafield:issueTime", f.issueTime().toString());
    coverage.put("terrafield:source", f.source());
    if (f.station() != null) {
      coverage.put("terrafield:station", f.station());
    }
    coverage.put("terrafield:distanceKm", CsvTable.round(f.distanceKm()));
    coverage.put("terrafield:threshold", f.threshold());
    // the rolling interval calibration's factor c per lead time (1 = uncalibrated)
    coverage.put("terrafield:intervalFactors", new LinkedHashMap<>(intervalFactors));
    coverage.put("terrafield:modelVersion", f.modelVersion());
    return coverage;
  }

  static Map<String, Object> geoJson(IssuePosition f, String self) {
    List<Map<String, Object>> features = new ArrayList<>();
    for (int t = 0; t < f.times().size(); t++) {
      Map<String, Object> properties = new LinkedHashMap<>();
      properties.put("datetime", f.times().get(t).toString());
      properties.put(
          "label", f.station() != null ? f.station() : "interpolated field at the point");
      properties.put("parameter-name", List.of(f.variable().key()));
      properties.put("edrqueryendpoint", self);
      properties.put("issue_time", f.issueTime().toString());
      properties.put("model_version", f.modelVersion());
      properties.put("source", f.source());
      properties.put("unit", f.variable().unit());
      properties.put("threshold", f.threshold());
      for (Map.Entry<String, double[]> e : f.series().entrySet()) {
        double v = e.getValue()[t];
        properties.put(e.getKey(), Double.isFinite(v) ? CsvTable.round(v) : null);
      }
      Map<String, Object> feature = new LinkedHashMap<>();
      feature.put("type", "Feature");
      feature.put("id", f.times().get(t).toString());
      feature.put(
          "geometry",
          CoverageJson.ordered("type", "Point", "coordinates", List.of(f.lon(), f.lat())));
      feature.put("properties", properties);
      features.add(feature);
    }
    Map<String, Object> collection = new LinkedHashMap<>();
    collection.put("type", "FeatureCollection");
    collection.put("features", features);
    collection.put("numberMatched", features.size());
    collection.put("numberReturned", features.size());
    return collection;
  }

  static String csv(IssuePosition f) {
    List<String> columns =
        new ArrayList<>(
            List.of("valid_time", "lon", "lat", "variable", "issue_time", "source", "station"));
    columns.addAll(f.series().keySet());
    CsvTable table = new CsvTable(columns);
    for (int t = 0; t < f.times().size(); t++) {
      List<Object> row = new ArrayList<>();
      row.add(f.times().get(t).toString());
      row.add(f.lon());
      row.add(f.lat());
      row.add(f.variable().key());
      row.add(f.issueTime().toString());
      row.add(f.source());
      row.add(f.station());
      for (double[] values : f.series().values()) {
        row.add(CsvTable.round(values[t]));
      }
      table.add(row);
    }
    return table.text();
  }
}
