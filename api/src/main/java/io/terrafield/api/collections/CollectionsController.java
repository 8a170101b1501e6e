package io.terrafield.api.collections;

import io.terrafield.api.collections.CollectionDocuments.Collection;
import io.terrafield.api.collections.CollectionDocuments.Collections;
import io.terrafield.api.collections.CollectionDocuments.CrsDetail;
import io.terrafield.api.collections.CollectionDocuments.DataQuery;
import io.terrafield.api.collections.CollectionDocuments.Extent;
import io.terrafield.api.collections.CollectionDocuments.ObservedProperty;
import io.terrafield.api.collections.CollectionDocuments.Parameter;
import io.terrafield.api.collections.CollectionDocuments.Point;
import io.terrafield.api.collections.CollectionDocuments.QueryLink;
import io.terrafield.api.collections.CollectionDocuments.QueryVariables;
import io.terrafield.api.collections.CollectionDocuments.Spatial;
import io.terrafield.api.collections.CollectionDocuments.StationCollection;
import io.terrafield.api.collections.CollectionDocuments.StationFeature;
import io.terrafield.api.collections.CollectionDocuments.StationProperties;
import io.terrafield.api.collections.CollectionDocuments.Temporal;
import io.terrafield.api.collections.CollectionDocuments.Unit;
import io.terrafield.api.forecasts.GridController;
import io.terrafield.api.forecasts.StoredIssues;
import io.terrafield.api.problems.NotFoundException;
import io.terrafield.store.LatestValue;
import io.terrafield.store.ObservationStore;
import io.terrafield.store.Station;
import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * OGC API – Environmental Data Retrieval collections: one collection per pollutant ({@code pm25},
 * {@code pm10}, {@code no2}, {@code so2}, {@code co}, {@code o3}) with its extent (the stations'
 * bounding box; observed hours from the first to the newest stored value and, for forecast
 * variables, the 72 forecast hours) and the data queries it answers ({@link EdrQueries}). {@code
 * /locations} returns the stations as an RFC 7946 GeoJSON FeatureCollection with the latest hourly
 * value, {@code /locations/{locId}} one station.
 */
@RestController
public class CollectionsController {

  static final String GEO_JSON = "application/geo+json";
  static final String COVERAGE_JSON = "application/prs.coverage+json";
  static final String CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
  static final String GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian";
  public static final String CRS84_WKT =
      "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],"
          + "PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433],AXIS[\"Lon\",EAST],"
          + "AXIS[\"Lat\",NORTH]]";
  static final Duration FORECAST_REACH = Duration.ofHours(72);

  /** How long the time of a variable's first stored value is kept before it is looked up again. */
  static final Duration FIRST_OBSERVATION_MAX_AGE = Duration.ofMinutes(1);

  static final List<String> FORECAST_FORMATS = List.of("CoverageJSON", "GeoJSON", "CSV");

  private final ObservationStore store;
  private final EdrQueries queries;
  private final StoredIssues issues;
  private final FirstObservations firstObservations;

  public CollectionsController(ObservationStore store, EdrQueries queries, StoredIssues issues) {
    this.issues = issues;
    this.store = store;
    this.queries = queries;
    this.firstObservations = new FirstObservations(store, FIRST_OBSERVATION_MAX_AGE);
  }

  @GetMapping(value = "/collections", produces = MediaType.APPLICATION_JSON_VALUE)
  public Collections collections(@RequestParam(required = false) String f) {
    EdrParameters.requireJson(f);
    String base = base();
    List<Station> stations = store.stations();
    List<Collection> collections = new ArrayList<>();
    for (Variable v : pollutants()) {
      collections.add(describe(v, base, stations));
    }
    return new Collections(
        List.of(new EdrLink(base + "/collections", "self", "application/json", "Collections")),
        collections);
  }

  @GetMapping(value = "/collections/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  public Collection collection(@PathVariable String id, @RequestParam(required = false) String f) {
    Variable v = pollutant(id);
    EdrParameters.requireJson(f);
    return describe(v, base(), store.stations());
  }

  @GetMapping(
      value = "/collections/{id}/locations",
      produces = {GEO_JSON, MediaType.APPLICATION_JSON_VALUE})
  public StationCollection locations(
      @PathVariable String id, @RequestParam(required = false) String bbox) {
    Variable v = pollutant(id);
    double[] box = bbox == null ? null : GridController.parseBbox(bbox);
    List<StationFeature> features =
        store.latestValues(v).stream()
            .filter(latest -> box == null || inside(latest.station(), box))
            .map(latest -> feature(v, latest))
            .toList();
    return new StationCollection(
        "FeatureCollection",
        features,
        features.size(),
        List.of(
            new EdrLink(
                base() + "/collections/" + v.key() + "/locations",
                "self",
                GEO_JSON,
                "Stations with the latest value")));
  }

  @GetMapping(
      value = "/collections/{id}/locations/{locId}",
      produces = {GEO_JSON, MediaType.APPLICATION_JSON_VALUE})
  public StationFeature location(@PathVariable String id, @PathVariable String locId) {
    Variable v = pollutant(id);
    return store.latestValues(v).stream()
        .filter(l -> l.station().id().equals(locId))
        .findFirst()
        .map(l -> feature(v, l))
        .orElseThrow(
            () ->
                new NotFoundException(
                    "locId: no station '"
                        + locId
                        + "' with "
                        + v.key()
                        + " values in collection '"
                        + v.key()
                        + "'"));
  }

  /** Whether a station is in {@code minLon,minLat,maxLon,maxLat} (edges included). */
  static boolean inside(Station s, double[] box) {
    return s.lon() >= box[0] && s.lon() <= box[2] && s.lat() >= box[1] && s.lat() <= box[3];
  }

  private static StationFeature feature(Variable v, LatestValue latest) {
    return new StationFeature(
        "Feature",
        latest.station().id(),
        new Point("Point", List.of(latest.station().lon(), latest.station().lat())),
        new StationProperties(
            latest.station().name(),
            latest.station().network(),
            v.key(),
            latest.value(),
            v.unit(),
            latest.time().toString(),
            latest.count()));
  }

  static List<Variable> pollutants() {
    return Arrays.stream(Variable.values()).filter(Variable::isPollutant).toList();
  }

  /** The pollutant of a collection id; {@link UnknownCollectionException} (404) otherwise. */
  public static Variable pollutant(String id) {
    return Variable.byKey(id)
        .filter(Variable::isPollutant)
        .orElseThrow(
            () ->
                new UnknownCollectionException(
                    "collection: unknown collection '"
                        + id
                        + "'; known: "
                        + pollutants().stream().map(Variable::key).toList()));
  }

  private static String base() {
    return ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
  }

  private Collection describe(Variable v, String base, List<Station> stations) {
    String self = base + "/collections/" + v.key();
    List<EdrLink> links = new ArrayList<>();
    links.add(new EdrLink(self, "self", "application/json", v.label()));
    Map<String, DataQuery> dataQueries = new LinkedHashMap<>();
    for (String q : queries.queries(v)) {
      String title =
          switch (q) {
            case "position" -> "72-hour forecast at a point (coords=POINT(lon lat))";
            case "area" -> "Forecast grid over a polygon (coords=POLYGON((lon lat, …)))";
            case "cube" -> "Forecast grid over a bounding box (bbox=minLon,minLat,maxLon,maxLat)";
            default -> "Stations with the latest value";
          };
      boolean geoJson = q.equals("locations");
      links.add(new EdrLink(self + "/" + q, "data", geoJson ? GEO_JSON : COVERAGE_JSON, title));
      dataQueries.put(
          q,
          new DataQuery(
              new QueryLink(
                  self + "/" + q,
                  "data",
                  new QueryVariables(
                      title,
                      description(q),
                      q,
                      geoJson ? List.of("GeoJSON") : FORECAST_FORMATS,
                      geoJson ? "GeoJSON" : "CoverageJSON",
                      List.of(new CrsDetail("OGC:CRS84", CRS84_WKT)),
                      q.equals("cube") ? List.of() : null))));
    }
    if (queries.isForecast(v)) {
      // one instance per stored forecast issue, with its own position, area and cube queries
      String instances = self + "/instances";
      links.add(new EdrLink(instances, "data", "application/json", "Forecast issues"));
      dataQueries.put(
          "instances",
          new DataQuery(
              new QueryLink(
                  instances,
                  "data",
                  new QueryVariables(
                      "Forecast issues",
                      "One instance per stored forecast issue (id: the issue time, e.g."
                          + " 20160205T1600Z), each with its own position, area and cube queries",
                      "instances",
                      null,
                      null,
                      null,
                      null))));
    }
    List<String> formats = queries.isForecast(v) ? FORECAST_FORMATS : List.of("GeoJSON");
    return new Collection(
        v.key(),
        v.label(),
        v.label()
            + " concentration in "
            + v.unit()
            + ", hourly means"
            + (queries.isForecast(v) ? "; calibrated forecasts 1-72 h ahead" : ""),
        links,
        extent(v, stations),
        dataQueries,
        List.of("OGC:CRS84"),
        formats,
        Map.of(
            v.key(),
            new Parameter(
                "Parameter",
                v.label() + " (" + v.unit() + ")",
                new ObservedProperty(Map.of("en", v.label())),
                new Unit(v.unit()))));
  }

  private static String description(String query) {
    return switch (query) {
      case "position" ->
          "Calibrated quantile forecast for the next 72 hours at coords=POINT(lon lat) (CRS84):"
              + " median, mean, 50/90/95 % intervals, exceedance probability";
      case "area" ->
          "Forecast grid over coords=POLYGON(...) (CRS84), resolution-x × resolution-y cells,"
              + " clipped to the served forecast domain; datetime selects hours of the newest"
              + " issue";
      case "cube" ->
          "Forecast grid over bbox=minLon,minLat,maxLon,maxLat (CRS84), resolution-x ×"
              + " resolution-y cells, clipped to the served forecast domain; datetime selects"
              + " hours; no vertical axis (z is refused)";
      default -> "The stations with the latest hourly value (GeoJSON)";
    };
  }

  /**
   * The stations' box, widened to the served forecast domain for a forecast collection; observed
   * hours from the first stored value ({@link FirstObservations}; null, open, only while no value
   * is stored) up to the newest, then the forecast reach.
   */
  private Extent extent(Variable v, List<Station> stations) {
    List<List<Double>> bbox = new ArrayList<>();
    if (!stations.isEmpty()) {
      double minLon = Double.POSITIVE_INFINITY;
      double minLat = Double.POSITIVE_INFINITY;
      double maxLon = Double.NEGATIVE_INFINITY;
      double maxLat = Double.NEGATIVE_INFINITY;
      for (Station s : stations) {
        minLon = Math.min(minLon, s.lon());
        minLat = Math.min(minLat, s.lat());
        maxLon = Math.max(maxLon, s.lon());
        maxLat = Math.max(maxLat, s.lat());
      }
      if (queries.isForecast(v)) {
        // forecasts are served over the domain around the stations (the newest issue's), wider
        // than the stations' box
        Optional<double[]> domain = issues.servedDomainBbox(v);
        if (domain.isPresent()) {
          double[] d = domain.get();
          minLon = Math.min(minLon, d[0]);
          minLat = Math.min(minLat, d[1]);
          maxLon = Math.max(maxLon, d[2]);
          maxLat = Math.max(maxLat, d[3]);
        }
      }
      bbox.add(List.of(minLon, minLat, maxLon, maxLat));
    } else {
      bbox.add(List.of(-180.0, -90.0, 180.0, 90.0));
    }
    List<LatestValue> latest = store.latestValues(v);
    Instant newest = latest.stream().map(LatestValue::time).max(Instant::compareTo).orElse(null);
    // the first stored value; null (open) only while nothing is stored
    Instant first = newest == null ? null : firstObservations.first(v, latest).orElse(null);
    List<List<String>> intervals = new ArrayList<>();
    intervals.add(
        Arrays.asList(
            first == null ? null : first.toString(), newest == null ? null : newest.toString()));
    if (queries.isForecast(v) && newest != null) {
      intervals.add(List.of(newest.toString(), newest.plus(FORECAST_REACH).toString()));
    }
    return new Extent(new Spatial(bbox, CRS84), new Temporal(intervals, GREGORIAN));
  }
}
