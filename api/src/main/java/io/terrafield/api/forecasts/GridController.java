package io.terrafield.api.forecasts;

import io.terrafield.api.collections.CollectionsController;
import io.terrafield.store.Variable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * OGC API EDR {@code cube} and {@code area} queries of the forecast field: CoverageJSON {@code
 * Grid}s of field-only forecasts (with the online interval calibration) on {@code resolution-x} ×
 * {@code resolution-y} cell centres over a bounding box or over a polygon's bounding box, cells
 * whose centre lies outside the polygon being {@code null}. {@code datetime} selects valid times of
 * the newest issue: an instant (the hour containing it) or an interval {@code start/end} with
 * {@code ..} for an open end; absent, all 72 hours.
 */
@RestController
public class GridController {

  static final String COVERAGE_JSON = CoverageJson.MEDIA_TYPE;

  /** At most this many values per parameter (cells × times) in one answer. */
  static final int MAX_VALUES = 20_000;

  private static final int MAX_RESOLUTION = 100;

  private final ForecastService forecasts;

  public GridController(ForecastService forecasts) {
    this.forecasts = forecasts;
  }

  @GetMapping(
      value = "/collections/{id}/cube",
      produces = {COVERAGE_JSON, MediaType.APPLICATION_JSON_VALUE})
  public ResponseEntity<Map<String, Object>> cube(
      @PathVariable String id,
      @RequestParam String bbox,
      @RequestParam(required = false) String datetime,
      @RequestParam(name = "resolution-x", defaultValue = "10") int resolutionX,
      @RequestParam(name = "resolution-y", defaultValue = "10") int resolutionY) {
    Variable v = CollectionsController.pollutant(id);
    double[] box = parseBbox(bbox);
    return answer(v, box, null, datetime, resolutionX, resolutionY);
  }

  @GetMapping(
      value = "/collections/{id}/area",
      produces = {COVERAGE_JSON, MediaType.APPLICATION_JSON_VALUE})
  public ResponseEntity<Map<String, Object>> area(
      @PathVariable String id,
      @RequestParam String coords,
      @RequestParam(required = false) String datetime,
      @RequestParam(name = "resolution-x", defaultValue = "10") int resolutionX,
      @RequestParam(name = "resolution-y", defaultValue = "10") int resolutionY) {
    Variable v = CollectionsController.pollutant(id);
    Geometry polygon = parsePolygon(coords);
    var envelope = polygon.getEnvelopeInternal();
    double[] box = {envelope.getMinX(), envelope.getMinY(), envelope.getMaxX(), envelope.getMaxY()};
    return answer(v, box, polygon, datetime, resolutionX, resolutionY);
  }

  private ResponseEntity<Map<String, Object>> answer(
      Variable v, double[] box, Geometry polygon, String datetime, int nx, int ny) {
    if (nx < 1 || nx > MAX_RESOLUTION || ny < 1 || ny > MAX_RESOLUTION) {
      throw new IllegalArgumentException(
          "resolution-x, resolution-y: must be in 1.."
              + MAX_RESOLUTION
              + ", were "
              + nx
              + " and "
              + ny);
    }
    Instant[] range = parseDatetime(datetime);
    double[] lons = centres(box[0], box[2], nx);
    double[] lats = centres(box[1], box[3], ny);
    int hours = forecastHours(range);
    if ((long) nx * ny * hours > MAX_VALUES) {
      throw new IllegalArgumentException(
          String.format(
              "resolution-x × resolution-y × hours: %d × %d × %d values exceed %d; lower the"
                  + " resolution or narrow datetime",
              nx, ny, hours, MAX_VALUES));
    }
    GridForecast f = forecasts.grid(v, lons, lats, range[0], range[1]);
    boolean[][] inside = new boolean[ny][nx];
    GeometryFactory geometries = new GeometryFactory();
    for (int y = 0; y < ny; y++) {
      for (int x = 0; x < nx; x++) {
        inside[y][x] =
            polygon == null
                || polygon.covers(geometries.createPoint(new Coordinate(lons[x], lats[y])));
      }
    }
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(COVERAGE_JSON))
        .body(coverage(f, inside));
  }

  /** Upper bound of the hours a datetime range can select (72 when open). */
  private static int forecastHours(Instant[] range) {
    if (range[0].equals(Instant.MIN) || range[1].equals(Instant.MAX)) {
      return ForecastService.HORIZONS;
    }
    long hours = java.time.Duration.between(range[0], range[1]).toHours() + 1;
    return (int) Math.max(1, Math.min(ForecastService.HORIZONS, hours));
  }

  private static double[] centres(double min, double max, int n) {
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      c[i] = min + (i + 0.5) * (max - min) / n;
    }
    return c;
  }

  /** {@code minLon,minLat,maxLon,maxLat} in WGS84 degrees. */
  static double[] parseBbox(String bbox) {
    String[] parts = bbox == null ? new String[0] : bbox.split(",");
    double[] b = new double[4];
    try {
      if (parts.length != 4) {
        throw new NumberFormatException();
      }
      for (int i = 0; i < 4; i++) {
        b[i] = Double.parseDouble(parts[i].trim());
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "bbox: '" + bbox + "' is not minLon,minLat,maxLon,maxLat (e.g. 116.1,39.8,116.7,40.2)");
    }
    if (!(b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90 && b[0] < b[2] && b[1] < b[3])) {
      throw new IllegalArgumentException(
          "bbox: '"
              + bbox
              + "' must have minLon < maxLon in [-180, 180] and minLat < maxLat in [-90, 90]");
    }
    return b;
  }

  /** A WKT POLYGON or MULTIPOLYGON (lon lat, WGS84) with an area. */
  static Geometry parsePolygon(String coords) {
    Geometry g;
    try {
      g = new WKTReader().read(coords == null ? "" : coords);
    } catch (ParseException e) {
      throw new IllegalArgumentException(
          "coords: '"
              + coords
              + "' is not WKT: "
              + e.getMessage()
              + " (expected e.g. POLYGON((116.2 39.8, 116.6 39.8, 116.6 40.1, 116.2 39.8)))");
    }
    if (!(g instanceof Polygonal) || g.isEmpty()) {
      throw new IllegalArgumentException(
          "coords: '" + coords + "' is not a POLYGON or MULTIPOLYGON with an area");
    }
    IsValidOp validity = new IsValidOp(g);
    if (!validity.isValid()) {
      throw new IllegalArgumentException(
          "coords: '" + coords + "' is not a valid polygon: " + validity.getValidationError());
    }
    if (!(g.getArea() > 0)) {
      throw new IllegalArgumentException(
          "coords: '" + coords + "' is not a POLYGON or MULTIPOLYGON with an area");
    }
    var e = g.getEnvelopeInternal();
    if (!(e.getMinX() >= -180 && e.getMaxX() <= 180 && e.getMinY() >= -90 && e.getMaxY() <= 90)) {
      throw new IllegalArgumentException(
          "coords: '" + coords + "' lies outside lon [-180, 180], lat [-90, 90] (WKT is lon lat)");
    }
    return g;
  }

  /** {from, to}: an instant selects its hour; {@code a/b} with {@code ..} open; null: all. */
  static Instant[] parseDatetime(String datetime) {
    if (datetime == null || datetime.isBlank()) {
      return new Instant[] {Instant.MIN, Instant.MAX};
    }
    try {
      String[] parts = datetime.split("/", -1);
      if (parts.length == 1) {
        Instant t = Instant.parse(parts[0].trim());
        Instant hour = t.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        return new Instant[] {hour, hour};
      }
      if (parts.length == 2) {
        Instant from = parts[0].trim().equals("..") ? Instant.MIN : Instant.parse(parts[0].trim());
        Instant to = parts[1].trim().equals("..") ? Instant.MAX : Instant.parse(parts[1].trim());
        if (from.isAfter(to)) {
          throw new IllegalArgumentException("datetime: '" + datetime + "' ends before it starts");
        }
        return new Instant[] {from, to};
      }
    } catch (DateTimeParseException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "datetime: '"
            + datetime
            + "' is not an instant or interval like 2016-02-05T16:00:00Z or"
            + " 2016-02-05T16:00:00Z/2016-02-06T15:00:00Z (.. for an open end)");
  }

  static Map<String, Object> coverage(GridForecast f, boolean[][] inside) {
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
      Map<String, Object> parameter =
          CoverageJson.parameter(f.variable(), e.getKey(), f.threshold());
      parameters.put(name, parameter);
      List<Double> values = new ArrayList<>(nt * ny * nx);
      for (int t = 0; t < nt; t++) {
        for (int y = 0; y < ny; y++) {
          for (int x = 0; x < nx; x++) {
            double value = e.getValue()[t][y][x];
            values.add(
                inside[y][x] && Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : null);
          }
        }
      }
      Map<String, Object> range = new LinkedHashMap<>();
      range.put("type", "NdArray");
      range.put("dataType", "float");
      range.put("axisNames", List.of("t", "y", "x"));
      range.put("shape", List.of(nt, ny, nx));
      range.put("values", values);
      ranges.put(name, range);
    }
    Map<String, Object> coverage = new LinkedHashMap<>();
    coverage.put("type", "Coverage");
    coverage.put("domain", domain);
    coverage.put("parameters", parameters);
    coverage.put("ranges", ranges);
    coverage.put("terrafield:model", ForecastService.MODEL);
    coverage.put("terrafield:issueTime", f.issueTime().toString());
    coverage.put("terrafield:source", "field");
    coverage.put("terrafield:threshold", f.threshold());
    return coverage;
  }

  private static double[] rounded(double[] values, double scale) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Math.round(values[i] * scale) / scale;
    }
    return out;
  }
}
