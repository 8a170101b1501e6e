package io.terrafield.api.forecasts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cube and area answers in each {@link QueryFormat}: a CoverageJSON {@code Grid} (one {@code
 * NdArray} over t, y, x per series, null outside the domain or polygon), a GeoJSON
 * FeatureCollection (one Point feature per cell centre and valid time with a value) or CSV (one row
 * per cell centre and valid time, empty fields where there is no value). A grid clipped to the
 * served domain says so in CoverageJSON and GeoJSON ({@link #clipped}).
 */
final class GridAnswers {
  private GridAnswers() {}

  static Object body(QueryFormat format, IssueGrid f, GridController.Clip clip, String self) {
    return switch (format) {
      case COVERAGE_JSON -> coverage(f, clip);
      case GEO_JSON -> geoJson(f, clip, self);
      case CSV -> csv(f);
    };
  }

  /**
   * What a clipped answer says of its clipping ({@code terrafield:clipped}): the box asked for, the
   * served domain's box and the box answered (the grid's), each {@code [minLon, minLat, maxLon,
   * maxLat]} rounded to 6 decimals; null when the asked box lies inside the served domain's box.
   */
  static Map<String, Object> clipped(GridController.Clip clip) {
    if (clip == null || !clip.clipped()) {
      return null;
    }
    return CoverageJson.ordered(
        "requested", rounded(clip.requested(), 1e6),
        "servedDomain", rounded(clip.servedDomain(), 1e6),
        "answered", rounded(clip.answered(), 1e6));
  }

  static Map<String, Object> coverage(IssueGrid f, GridController.Clip clip) {
    Map<String, Object> domain =
        CoverageJson.domain("Grid", rounded(f.lons(), 1e6), rounded(f.lats(), 1e6), f.times());
    Map<String, Object> parameters = new LinkedHashMap<>();
    Map<String, Object> ranges = new LinkedHashMap<>();
    String key = f.variable().key();
    int nt = f.times().size();
    int ny = f.lats().length;
    int nx = f.lons().length;
    for (Map.Entry<String, double[][][]> e : f.values().entrySet()) {
      String name = key + "_" + e.getKey();
      parameters.put(name, CoverageJson.parameter(f.variable(), e.getKey(), f.threshold()));
      double[] values = new double[nt * ny * nx];
      int i = 0;
      for (int t = 0; t < nt; t++) {
        for (int y = 0; y < ny; y++) {
          System.arraycopy(e.getValue()[t][y], 0, values, i, nx);
          i += nx;
        }
      }
      Map<String, Object> range = new LinkedHashMap<>();
      range.put("type", "NdArray");
      range.put("dataType", "float");
      range.put("axisNames", List.of("t", "y", "x"));
      range.put("shape", List.of(nt, ny, nx));
      range.put("values", new CoverageJson.Values(values));
      ranges.put(name, range);
    }
    Map<String, Object> coverage = new LinkedHashMap<>();
    coverage.put("type", "Coverage");
    coverage.put("domain", domain);
    coverage.put("parameters", parameters);
    coverage.put("ranges", ranges);
    coverage.put("terrafield:model", StoredIssues.MODEL);
    coverage.put("terrafield:issueTime", f.issueTime().toString());
    coverage.put("terrafield:source", "field");
    coverage.put("terrafield:threshold", f.threshold());
    coverage.put("terrafield:modelVersion", f.modelVersion());
    Map<String, Object> clipped = clipped(clip);
    if (clipped != null) {
      coverage.put("terrafield:clipped", clipped);
    }
    return coverage;
  }

  static Map<String, Object> geoJson(IssueGrid f, GridController.Clip clip, String self) {
    List<Map<String, Object>> features = new ArrayList<>();
    forEachValue(
        f,
        (t, y, x, values) -> {
          Map<String, Object> properties = new LinkedHashMap<>();
          properties.put("datetime", f.times().get(t).toString());
          properties.put("label", "cell " + x + "," + y);
          properties.put("parameter-name", List.of(f.variable().key()));
          properties.put("edrqueryendpoint", self);
          properties.put("issue_time", f.issueTime().toString());
          properties.put("model_version", f.modelVersion());
          properties.put("unit", f.variable().unit());
          properties.put("threshold", f.threshold());
          properties.putAll(values);
          Map<String, Object> feature = new LinkedHashMap<>();
          feature.put("type", "Feature");
          feature.put("id", x + "," + y + "," + f.times().get(t));
          feature.put(
              "geometry",
              CoverageJson.ordered("type", "Point", "coordinates", List.of(lon(f, x), lat(f, y))));
          feature.put("properties", properties);
          features.add(feature);
        });
    Map<String, Object> collection = new LinkedHashMap<>();
    collection.put("type", "FeatureCollection");
    collection.put("features", features);
    collection.put("numberMatched", features.size());
    collection.put("numberReturned", features.size());
    Map<String, Object> clipped = clipped(clip);
    if (clipped != null) {
      collection.put("terrafield:clipped", clipped);
    }
    return collection;
  }

  static String csv(IssueGrid f) {
    List<String> columns = new ArrayList<>(List.of("valid_time", "lon", "lat", "variable"));
    columns.addAll(f.values().keySet());
    CsvTable table = new CsvTable(columns);
    for (int t = 0; t < f.times().size(); t++) {
      for (int y = 0; y < f.lats().length; y++) {
        for (int x = 0; x < f.lons().length; x++) {
          List<Object> row = new ArrayList<>();
          row.add(f.times().get(t).toString());
          row.add(lon(f, x));
          row.add(lat(f, y));
          row.add(f.variable().key());
          for (double[][][] values : f.values().values()) {
            row.add(CsvTable.round(values[t][y][x]));
          }
          table.add(row);
        }
      }
    }
    return table.text();
  }

  /** A cell centre with its values at one valid time (only cells with a value). */
  private interface CellVisitor {
    void visit(int t, int y, int x, Map<String, Object> values);
  }

  private static void forEachValue(IssueGrid f, CellVisitor visitor) {
    for (int t = 0; t < f.times().size(); t++) {
      for (int y = 0; y < f.lats().length; y++) {
        for (int x = 0; x < f.lons().length; x++) {
          Map<String, Object> values = new LinkedHashMap<>();
          for (Map.Entry<String, double[][][]> e : f.values().entrySet()) {
            double v = e.getValue()[t][y][x];
            if (Double.isFinite(v)) {
              values.put(e.getKey(), CsvTable.round(v));
            }
          }
          if (!values.isEmpty()) {
            visitor.visit(t, y, x, values);
          }
        }
      }
    }
  }

  private static double lon(IssueGrid f, int x) {
    return Math.round(f.lons()[x] * 1e6) / 1e6;
  }

  private static double lat(IssueGrid f, int y) {
    return Math.round(f.lats()[y] * 1e6) / 1e6;
  }

  private static double[] rounded(double[] values, double scale) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Math.round(values[i] * scale) / scale;
    }
    return out;
  }
}
