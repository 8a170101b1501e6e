package io.terrafield.api.forecasts;

import io.terrafield.api.collections.CollectionsController;
import io.terrafield.forecasting.Station;
import io.terrafield.forecasting.serving.ForecastDomain;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.Variable;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * OGC API EDR {@code cube} and {@code area} queries of the stored forecasts: {@code resolution-x} ×
 * {@code resolution-y} cell centres over a bounding box or over a polygon's bounding box, clipped
 * to the served forecast domain's bounding box ({@link Clip}; a box or polygon that does not meet
 * the served domain is a 400 naming it and the domain's box; centres outside the polygon or the
 * forecast domain are {@code null}), each the bilinear interpolation of the stored grid cells
 * ({@link IssueQueries}), for the newest stored issue ({@code /collections/{id}/cube|area}) or one
 * issue ({@code /collections/{id}/instances/{instanceId}/ cube|area}). {@code datetime} selects
 * valid times: an instant (the hour containing it) or an interval {@code start/end} with {@code ..}
 * for an open end; absent, all of the issue's hours. {@code f}: CoverageJSON {@code Grid}
 * (default), GeoJSON or CSV. Reads the store only.
 */
@RestController
public class GridController {

  static final String COVERAGE_JSON = CoverageJson.MEDIA_TYPE;

  /** At most this many values per parameter (cells × times) in one answer. */
  static final int MAX_VALUES = 20_000;

  private static final int MAX_RESOLUTION = 100;

  private final StoredIssues issues;
  private final IssueQueries queries;
  private final EncodedAnswers answers;

  public GridController(
      StoredIssues issues,
      EncodedAnswers answers,
      @Value("${terrafield.forecast.nearest-km:10}") double nearestKm) {
    this.issues = issues;
    this.answers = answers;
    this.queries = new IssueQueries(nearestKm);
  }

  /**
   * What a cube or area answer depends on: the issue, the format and the normalized parameters
   * ({@code polygon}: the area's polygon as WKT, null for a cube; {@code self}: the request URL,
   * only for GeoJSON, whose features name it).
   */
  private record Key(
      String query,
      Variable variable,
      Instant issueTime,
      String modelVersion,
      Instant issuedAt,
      QueryFormat format,
      double minLon,
      double minLat,
      double maxLon,
      double maxLat,
      String polygon,
      Instant from,
      Instant to,
      int nx,
      int ny,
      String self) {}

  @GetMapping(
      value = {"/collections/{id}/cube", "/collections/{id}/instances/{instanceId}/cube"},
      produces = {
        COVERAGE_JSON,
        MediaType.APPLICATION_JSON_VALUE,
        "application/geo+json",
        "text/csv"
      })
  public ResponseEntity<byte[]> cube(
      @PathVariable String id,
      @PathVariable(required = false) String instanceId,
      @RequestParam String bbox,
      @RequestParam(required = false) String datetime,
      @RequestParam(name = "resolution-x", defaultValue = "10") int resolutionX,
      @RequestParam(name = "resolution-y", defaultValue = "10") int resolutionY,
      @RequestParam(required = false) String f,
      WebRequest request) {
    Variable v = CollectionsController.pollutant(id);
    double[] box = parseBbox(bbox);
    return answer(
        "cube",
        v,
        instanceId,
        "bbox: '" + bbox + "'",
        box,
        null,
        datetime,
        resolutionX,
        resolutionY,
        f,
        request);
  }

  @GetMapping(
      value = {"/collections/{id}/area", "/collections/{id}/instances/{instanceId}/area"},
      produces = {
        COVERAGE_JSON,
        MediaType.APPLICATION_JSON_VALUE,
        "application/geo+json",
        "text/csv"
      })
  public ResponseEntity<byte[]> area(
      @PathVariable String id,
      @PathVariable(required = false) String instanceId,
      @RequestParam String coords,
      @RequestParam(required = false) String datetime,
      @RequestParam(name = "resolution-x", defaultValue = "10") int resolutionX,
      @RequestParam(name = "resolution-y", defaultValue = "10") int resolutionY,
      @RequestParam(required = false) String f,
      WebRequest request) {
    Variable v = CollectionsController.pollutant(id);
    Geometry polygon = parsePolygon(coords);
    var envelope = polygon.getEnvelopeInternal();
    double[] box = {envelope.getMinX(), envelope.getMinY(), envelope.getMaxX(), envelope.getMaxY()};
    return answer(
        "area",
        v,
        instanceId,
        "coords: '" + coords + "'",
        box,
        polygon,
        datetime,
        resolutionX,
        resolutionY,
        f,
        request);
  }

  /**
   * @param asked the parameter and its value as sent, for a 400 when it misses the served domain
   */
  private ResponseEntity<byte[]> answer(
      String query,
      Variable v,
      String instanceId,
      String asked,
      double[] box,
      Geometry polygon,
      String datetime,
      int nx,
      int ny,
      String f,
      WebRequest request) {
    QueryFormat format = QueryFormat.of(f);
    if (nx < 1 || nx > MAX_RESOLUTION || ny < 1 || ny > MAX_RESOLUTION) {
      throw new IllegalArgumentException(
          "resolution-x, resolution-y: must be in 1.."
              + MAX_RESOLUTION
              + ", were "
              + nx
              + " and "
              + ny);
    }
    ValidTimes times = ValidTimes.parse(datetime);
    ForecastIssue row = issues.issueRow(v, instanceId);
    String self = format == QueryFormat.GEO_JSON ? SelfLinks.currentRequest() : null;
    Key key =
        new Key(
            query,
            v,
            row.issueTime(),
            row.modelVersion(),
            row.issuedAt(),
            format,
            box[0],
            box[1],
            box[2],
            box[3],
            polygon == null ? null : polygon.toText(),
            times.from(),
            times.to(),
            nx,
            ny,
            self);
    EncodedAnswers.Answer answer =
        answers.answer(
            key,
            format,
            () -> {
              StoredIssue issue = issues.read(row);
              Clip clip = clip(asked, box, polygon, issue.domain());
              return GridAnswers.body(
                  format, grid(issue, clip.answered(), polygon, times, nx, ny), clip, self);
            });
    return EncodedAnswers.response(answer, instanceId != null, request);
  }

  /**
   * The box a cube or area is answered on: the asked box (a bbox, or a polygon's bounding box)
   * clipped to the served domain's bounding box ({@link ForecastDomain#bbox}), so that the grid's
   * centres fall where there are forecasts.
   *
   * @param requested the asked box: minLon, minLat, maxLon, maxLat
   * @param servedDomain the served domain's bounding box
   * @param answered the box the grid covers: {@code requested} ∩ {@code servedDomain} (for an area,
   *     the bounding box of the polygon ∩ {@code servedDomain})
   * @param clipped whether {@code answered} is smaller than {@code requested}
   */
  record Clip(double[] requested, double[] servedDomain, double[] answered, boolean clipped) {}

  /**
   * Clips the asked box (and polygon) to the served domain.
   *
   * @throws OutsideForecastDomainException naming the parameter, its value and the served domain's
   *     box when the box (or polygon) does not meet the served domain: it misses the domain's box,
   *     or no station lies within the domain's radius of it
   */
  static Clip clip(String asked, double[] box, Geometry polygon, ForecastDomain domain) {
    double[] served = domain.bbox();
    double[] answered = {
      Math.max(box[0], served[0]),
      Math.max(box[1], served[1]),
      Math.min(box[2], served[2]),
      Math.min(box[3], served[3])
    };
    boolean meets = answered[0] < answered[2] && answered[1] < answered[3];
    boolean inside = Arrays.equals(answered, box);
    if (meets && polygon != null && !inside) {
      GeometryFactory geometries = new GeometryFactory();
      Geometry inDomain =
          polygon.intersection(
              geometries.toGeometry(new Envelope(served[0], served[2], served[1], served[3])));
      if (inDomain.isEmpty() || !(inDomain.getArea() > 0)) {
        meets = false;
      } else {
        Envelope e = inDomain.getEnvelopeInternal();
        answered = new double[] {e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY()};
      }
    }
    if (meets && nearestStationKm(domain, answered) > domain.radiusKm()) {
      // inside the domain's box but in a corner no station's radius reaches
      meets = false;
    }
    if (!meets) {
      throw new OutsideForecastDomainException(
          String.format(
              Locale.ROOT,
              "%s does not intersect the served forecast domain (within %.0f km of the station"
                  + " network; bounding box %s); forecasts are served there only",
              asked,
              domain.radiusKm(),
              boxText(served)));
    }
    return new Clip(box.clone(), served, answered, !inside);
  }

  /** The distance from a box to the nearest station of a domain, km (0 for a station inside). */
  private static double nearestStationKm(ForecastDomain domain, double[] box) {
    double best = Double.POSITIVE_INFINITY;
    for (Station s : domain.stations()) {
      double lon = Math.min(Math.max(s.lon(), box[0]), box[2]);
      double lat = Math.min(Math.max(s.lat(), box[1]), box[3]);
      best = Math.min(best, s.distanceKm(lon, lat));
    }
    return best;
  }

  /** A box as {@code minLon,minLat,maxLon,maxLat} with 4 decimals (the form of {@code bbox}). */
  static String boxText(double[] box) {
    return String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f", box[0], box[1], box[2], box[3]);
  }

  private IssueGrid grid(
      StoredIssue issue, double[] box, Geometry polygon, ValidTimes times, int nx, int ny) {
    int hours = times.select(issue).length;
    if ((long) nx * ny * hours > MAX_VALUES) {
      throw new IllegalArgumentException(
          String.format(
              "resolution-x × resolution-y × hours: %d × %d × %d values exceed %d; lower the"
                  + " resolution or narrow datetime",
              nx, ny, hours, MAX_VALUES));
    }
    double[] lons = centres(box[0], box[2], nx);
    double[] lats = centres(box[1], box[3], ny);
    boolean[][] inside = new boolean[ny][nx];
    GeometryFactory geometries = new GeometryFactory();
    for (int y = 0; y < ny; y++) {
      for (int x = 0; x < nx; x++) {
        inside[y][x] =
            polygon == null
                || polygon.covers(geometries.createPoint(new Coordinate(lons[x], lats[y])));
      }
    }
    return queries.grid(issue, lons, lats, inside, times);
  }

  private static double[] centres(double min, double max, int n) {
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      c[i] = min + (i + 0.5) * (max - min) / n;
    }
    return c;
  }

  /** {@code minLon,minLat,maxLon,maxLat} in WGS84 degrees. */
  public static double[] parseBbox(String bbox) {
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
    } catch (ParseException | RuntimeException e) {
      // JTS: ParseException for the syntax, IllegalArgumentException for a ring that is not
      // closed or has fewer than 4 points
      String what = e.getMessage();
      if (what != null && what.contains("closed linestring")) {
        what = "a ring is not closed (its last point must repeat its first)";
      } else if (what != null && what.contains("Invalid number of points in LinearRing")) {
        what = "a ring needs at least 4 points, the last repeating the first (" + what + ")";
      }
      throw new IllegalArgumentException(
          "coords: '"
              + coords
              + "' is not a WKT polygon: "
              + what
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
}
