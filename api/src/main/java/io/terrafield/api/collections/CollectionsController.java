package io.terrafield.api.collections;

import io.terrafield.store.LatestValue;
import io.terrafield.store.ObservationStore;
import io.terrafield.store.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * OGC API – Environmental Data Retrieval collections: one collection per pollutant ({@code pm25},
 * {@code pm10}, {@code no2}, {@code so2}, {@code co}, {@code o3}). {@code /locations} returns the
 * stations as an RFC 7946 GeoJSON FeatureCollection with the latest hourly value.
 */
@RestController
public class CollectionsController {

  static final String GEO_JSON = "application/geo+json";

  private final ObservationStore store;

  public CollectionsController(ObservationStore store) {
    this.store = store;
  }

  @GetMapping(value = "/collections", produces = MediaType.APPLICATION_JSON_VALUE)
  public Map<String, Object> collections() {
    String base = ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
    List<Map<String, Object>> collections = new ArrayList<>();
    for (Variable v : pollutants()) {
      collections.add(describe(v, base));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(
        "links", List.of(link(base + "/collections", "self", "application/json", "Collections")));
    body.put("collections", collections);
    return body;
  }

  @GetMapping(value = "/collections/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  public Map<String, Object> collection(@PathVariable String id) {
    String base = ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
    return describe(pollutant(id), base);
  }

  @GetMapping(
      value = "/collections/{id}/locations",
      produces = {GEO_JSON, MediaType.APPLICATION_JSON_VALUE})
  public Map<String, Object> locations(@PathVariable String id) {
    Variable v = pollutant(id);
    List<Map<String, Object>> features = new ArrayList<>();
    for (LatestValue latest : store.latestValues(v)) {
      Map<String, Object> properties = new LinkedHashMap<>();
      properties.put("name", latest.station().name());
      properties.put("network", latest.station().network());
      properties.put("parameter", v.key());
      properties.put("value", latest.value());
      properties.put("unit", v.unit());
      properties.put("time", latest.time().toString());
      properties.put("observations", latest.count());
      Map<String, Object> feature = new LinkedHashMap<>();
      feature.put("type", "Feature");
      feature.put("id", latest.station().id());
      feature.put(
          "geometry",
          Map.of(
              "type",
              "Point",
              "coordinates",
              List.of(latest.station().lon(), latest.station().lat())));
      feature.put("properties", properties);
      features.add(feature);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "FeatureCollection");
    body.put("features", features);
    body.put("numberReturned", features.size());
    return body;
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

  private static Map<String, Object> query(String self, String type, String key, String format) {
    return Map.of(
        "link",
        Map.of(
            "href",
            self + "/" + type,
            "rel",
            "data",
            "variables",
            Map.of(
                "query_type",
                type,
                key,
                format,
                "datetime",
                "instant or interval (.. open), optional",
                "output_formats",
                List.of("CoverageJSON"))));
  }

  private static Map<String, Object> describe(Variable v, String base) {
    String self = base + "/collections/" + v.key();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("id", v.key());
    c.put("title", v.label());
    c.put("description", v.label() + " concentration in " + v.unit() + ", hourly means");
    c.put(
        "links",
        List.of(
            link(self, "self", "application/json", v.label()),
            link(self + "/locations", "data", GEO_JSON, "Stations with the latest value"),
            link(
                self + "/position",
                "data",
                "application/prs.coverage+json",
                "72-hour forecast at a point (coords=POINT(lon lat))"),
            link(
                self + "/cube",
                "data",
                "application/prs.coverage+json",
                "Forecast grid over a bounding box (bbox=minLon,minLat,maxLon,maxLat)"),
            link(
                self + "/area",
                "data",
                "application/prs.coverage+json",
                "Forecast grid over a polygon (coords=POLYGON((lon lat, …)))")));
    c.put(
        "data_queries",
        Map.of(
            "locations",
            Map.of(
                "link",
                Map.of(
                    "href",
                    self + "/locations",
                    "rel",
                    "data",
                    "variables",
                    Map.of("query_type", "locations", "output_formats", List.of("GeoJSON")))),
            "position",
            Map.of(
                "link",
                Map.of(
                    "href",
                    self + "/position",
                    "rel",
                    "data",
                    "variables",
                    Map.of(
                        "query_type",
                        "position",
                        "coords",
                        "WKT POINT(lon lat), WGS84",
                        "output_formats",
                        List.of("CoverageJSON")))),
            "cube",
            query(self, "cube", "bbox", "minLon,minLat,maxLon,maxLat, WGS84"),
            "area",
            query(self, "area", "coords", "WKT POLYGON or MULTIPOLYGON (lon lat), WGS84")));
    c.put("crs", List.of("OGC:CRS84"));
    c.put("output_formats", List.of("GeoJSON", "CoverageJSON"));
    c.put(
        "parameter_names",
        Map.of(
            v.key(),
            Map.of(
                "type", "Parameter",
                "observedProperty", Map.of("label", Map.of("en", v.label())),
                "unit", Map.of("symbol", v.unit()))));
    return c;
  }

  private static Map<String, Object> link(String href, String rel, String type, String title) {
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("href", href);
    l.put("rel", rel);
    l.put("type", type);
    l.put("title", title);
    return l;
  }
}
