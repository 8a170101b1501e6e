package io.terrafield.api.forecasts;

import io.terrafield.api.collections.CollectionsController;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.Variable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * OGC API – EDR position query of the stored forecasts: {@code GET
 * /collections/{id}/position?coords=POINT(lon lat)} answers from the newest stored issue, {@code
 * GET /collections/{id}/instances/{instanceId}/position} from that issue. {@code datetime} (an
 * instant or an interval {@code a/b}, {@code ..} open) selects valid times; {@code f} is
 * CoverageJSON (a {@code PointSeries} whose parameters are the quantiles q025..q975, the mean and
 * the exceedance probability), GeoJSON or CSV. The point rule (station within {@code nearest-km},
 * else the bilinear interpolation of the stored grid cells) is {@link IssueQueries}'s. Reads the
 * store only.
 */
@RestController
public class PositionController {

  /** The CoverageJSON media type. */
  public static final String COVERAGE_JSON = CoverageJson.MEDIA_TYPE;

  private static final List<Integer> FACTOR_LEADS = List.of(1, 6, 24, 48, 72);

  private final StoredIssues issues;
  private final IssueQueries queries;
  private final EncodedAnswers answers;

  public PositionController(
      StoredIssues issues,
      EncodedAnswers answers,
      @Value("${terrafield.forecast.nearest-km:10}") double nearestKm) {
    this.issues = issues;
    this.answers = answers;
    this.queries = new IssueQueries(nearestKm);
  }

  /**
   * What a position answer depends on: the issue, the format and the normalized parameters ({@code
   * self}: the request URL, only for GeoJSON, whose features name it).
   */
  private record Key(
      Variable variable,
      Instant issueTime,
      String modelVersion,
      Instant issuedAt,
      QueryFormat format,
      double lon,
      double lat,
      Instant from,
      Instant to,
      String self) {}

  @GetMapping(
      value = {"/collections/{id}/position", "/collections/{id}/instances/{instanceId}/position"},
      produces = {
        COVERAGE_JSON,
        MediaType.APPLICATION_JSON_VALUE,
        "application/geo+json",
        "text/csv"
      })
  public ResponseEntity<byte[]> position(
      @PathVariable String id,
      @PathVariable(required = false) String instanceId,
      @RequestParam String coords,
      @RequestParam(required = false) String datetime,
      @RequestParam(required = false) String f,
      WebRequest request) {
    Variable v = CollectionsController.pollutant(id);
    QueryFormat format = QueryFormat.of(f);
    WktPoint point = WktPoint.parse(coords);
    ValidTimes times = ValidTimes.parse(datetime);
    ForecastIssue row = issues.issueRow(v, instanceId);
    String self = format == QueryFormat.GEO_JSON ? SelfLinks.currentRequest() : null;
    Key key =
        new Key(
            v,
            row.issueTime(),
            row.modelVersion(),
            row.issuedAt(),
            format,
            point.lon(),
            point.lat(),
            times.from(),
            times.to(),
            self);
    EncodedAnswers.Answer answer =
        answers.answer(
            key,
            format,
            () -> {
              StoredIssue issue = issues.read(row);
              IssuePosition position = queries.position(issue, point.lon(), point.lat(), times);
              return PositionAnswers.body(format, position, intervalFactors(issue), self);
            });
    return EncodedAnswers.response(answer, instanceId != null, request);
  }

  private static Map<String, Double> intervalFactors(StoredIssue issue) {
    Map<Integer, Double> sorted = new TreeMap<>(issue.intervalFactors());
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    sorted.forEach(
        (lead, factor) -> {
          if (FACTOR_LEADS.contains(lead)) {
            out.put(lead + " h", CsvTable.round(factor));
          }
        });
    return out;
  }
}
