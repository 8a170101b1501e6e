package io.terrafield.api.forecasts;

import io.terrafield.api.collections.CollectionDocuments.Collection;
import io.terrafield.api.collections.CollectionDocuments.CrsDetail;
import io.terrafield.api.collections.CollectionDocuments.DataQuery;
import io.terrafield.api.collections.CollectionDocuments.Extent;
import io.terrafield.api.collections.CollectionDocuments.ObservedProperty;
import io.terrafield.api.collections.CollectionDocuments.Parameter;
import io.terrafield.api.collections.CollectionDocuments.QueryLink;
import io.terrafield.api.collections.CollectionDocuments.QueryVariables;
import io.terrafield.api.collections.CollectionDocuments.Spatial;
import io.terrafield.api.collections.CollectionDocuments.Temporal;
import io.terrafield.api.collections.CollectionsController;
import io.terrafield.api.collections.EdrLink;
import io.terrafield.api.collections.EdrParameters;
import io.terrafield.api.collections.EdrQueries;
import io.terrafield.api.problems.NotFoundException;
import io.terrafield.api.problems.QueryParameters;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.Variable;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * OGC API EDR instances of a forecast collection, one per stored issue: {@code GET
 * /collections/{id}/instances} lists the stored issues newest first ({@code limit}, default 100),
 * {@code GET /collections/{id}/instances/{instanceId}} describes one. An instance id is the issue
 * time in ISO 8601 basic format ({@code 20160205T1600Z}); its extent is the issue's valid times and
 * forecast domain, and its {@code position}, {@code area} and {@code cube} queries answer from that
 * issue only ({@link PositionController}, {@link GridController}).
 */
@RestController
public class InstancesController {

  static final String CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
  static final String GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian";
  private static final int MAX_LIMIT = 1000;
  private static final Map<String, String> DESCRIPTIONS =
      Map.of(
          "position",
          "This issue's forecast at coords=POINT(lon lat) (CRS84): the station forecast within"
              + " nearest-km, else interpolated between the stored grid cells",
          "area",
          "This issue's forecasts on resolution-x × resolution-y cell centres over"
              + " coords=POLYGON(...) (CRS84); null outside the polygon or the forecast domain",
          "cube",
          "This issue's forecasts on resolution-x × resolution-y cell centres over"
              + " bbox=minLon,minLat,maxLon,maxLat (CRS84); null outside the forecast domain");

  private final StoredIssues issues;
  private final EdrQueries queries;

  public InstancesController(StoredIssues issues, EdrQueries queries) {
    this.issues = issues;
    this.queries = queries;
  }

  /**
   * The instances answer (EDR {@code instances.yaml}).
   *
   * @param links self
   * @param instances one collection-shaped description per stored issue, newest first
   */
  public record Instances(List<EdrLink> links, List<Collection> instances) {}

  @GetMapping(value = "/collections/{id}/instances", produces = MediaType.APPLICATION_JSON_VALUE)
  public Instances instances(
      @PathVariable String id,
      @RequestParam(name = "limit", required = false) BigInteger asked,
      @RequestParam(required = false) String f) {
    Variable v = forecastCollection(id);
    EdrParameters.requireJson(f);
    int limit = QueryParameters.limit(asked, 100, MAX_LIMIT);
    String base = base() + "/collections/" + v.key() + "/instances";
    List<Collection> described = new ArrayList<>();
    List<ForecastIssue> stored = issues.issues(v, limit);
    if (!stored.isEmpty()) {
      double[] bbox = issues.newest(v).domain().bbox();
      for (ForecastIssue issue : stored) {
        described.add(describe(v, issue, bbox, base));
      }
    }
    return new Instances(
        List.of(new EdrLink(base, "self", "application/json", v.label() + " forecast issues")),
        described);
  }

  @GetMapping(
      value = "/collections/{id}/instances/{instanceId}",
      produces = MediaType.APPLICATION_JSON_VALUE)
  public Collection instance(
      @PathVariable String id,
      @PathVariable String instanceId,
      @RequestParam(required = false) String f) {
    Variable v = forecastCollection(id);
    EdrParameters.requireJson(f);
    ForecastIssue row = issues.row(v, instanceId);
    double[] bbox = issues.issue(v, instanceId).domain().bbox();
    return describe(v, row, bbox, base() + "/collections/" + v.key() + "/instances");
  }

  private Variable forecastCollection(String id) {
    Variable v = CollectionsController.pollutant(id);
    if (!queries.isForecast(v)) {
      throw new NotFoundException(
          "collection '" + v.key() + "' has no instances: " + v.key() + " is not forecast");
    }
    return v;
  }

  /** One instance; {@code bbox} is the forecast domain's (minLon, minLat, maxLon, maxLat). */
  private Collection describe(Variable v, ForecastIssue issue, double[] bbox, String base) {
    String instanceId = StoredIssues.instanceId(issue.issueTime());
    String self = base + "/" + instanceId;
    List<EdrLink> links = new ArrayList<>();
    links.add(new EdrLink(self, "self", "application/json", "Issue of " + issue.issueTime()));
    Map<String, DataQuery> dataQueries = new LinkedHashMap<>();
    for (String q : EdrQueries.FORECAST_QUERIES) {
      links.add(new EdrLink(self + "/" + q, "data", CoverageJson.MEDIA_TYPE, q + " query"));
      dataQueries.put(
          q,
          new DataQuery(
              new QueryLink(
                  self + "/" + q,
                  "data",
                  new QueryVariables(
                      q + " query of the issue of " + issue.issueTime(),
                      DESCRIPTIONS.get(q),
                      q,
                      QueryFormat.NAMES,
                      "CoverageJSON",
                      List.of(new CrsDetail("OGC:CRS84", CollectionsController.CRS84_WKT)),
                      q.equals("cube") ? List.of() : null))));
    }
    String last =
        issue.issueTime().plus(Duration.ofHours(Math.max(0, issue.maxHorizonH() - 1))).toString();
    return new Collection(
        instanceId,
        v.label() + " forecast issued for " + issue.issueTime(),
        "Forecasts of "
            + v.label()
            + " at "
            + issue.stationCount()
            + " stations and "
            + issue.cellCount()
            + " grid cells of "
            + issue.cellSizeDeg()
            + "°, valid "
            + issue.issueTime()
            + " to "
            + last
            + ", model "
            + issue.modelVersion(),
        links,
        new Extent(
            new Spatial(List.of(List.of(bbox[0], bbox[1], bbox[2], bbox[3])), CRS84),
            new Temporal(List.of(List.of(issue.issueTime().toString(), last)), GREGORIAN)),
        dataQueries,
        List.of("OGC:CRS84"),
        QueryFormat.NAMES,
        Map.of(
            v.key(),
            new Parameter(
                "Parameter",
                v.label() + " (" + v.unit() + ")",
                new ObservedProperty(Map.of("en", v.label())),
                new io.terrafield.api.collections.CollectionDocuments.Unit(v.unit()))));
  }

  private static String base() {
    return ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
  }
}
