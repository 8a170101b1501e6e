package io.terrafield.api.collections;

import io.terrafield.api.problems.NotFoundException;
import io.terrafield.api.problems.QueryParameters;
import io.terrafield.store.Variable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The OGC API EDR query parameters common to every query, checked once for all of them: {@code f}
 * (the output formats of the query; anything else 400), {@code crs} (CRS84 only), {@code
 * parameter-name} (the collection's parameters), {@code z} (no vertical axis here: 400) and the
 * syntax of {@code datetime}. A value this server cannot honour is a 400 naming the parameter and
 * the value rather than an answer that silently ignores it.
 */
public final class EdrParameters {

  /** The CRS identifiers accepted for {@code crs}: all of them name OGC CRS84 (lon, lat WGS84). */
  static final Set<String> CRS84 =
      Set.of(
          "crs84",
          "ogc:crs84",
          "[ogc:crs84]",
          "http://www.opengis.net/def/crs/ogc/1.3/crs84",
          "https://www.opengis.net/def/crs/ogc/1.3/crs84",
          "epsg:4326");

  private static final Map<String, List<String>> FORMATS =
      Map.of(
          "position", List.of("CoverageJSON", "covjson", "json", "GeoJSON", "CSV"),
          "area", List.of("CoverageJSON", "covjson", "json", "GeoJSON", "CSV"),
          "cube", List.of("CoverageJSON", "covjson", "json", "GeoJSON", "CSV"),
          "locations", List.of("GeoJSON", "geojson", "json"));

  private static final List<String> COMMON = List.of("datetime", "parameter-name", "z", "crs", "f");

  /**
   * The query parameters each EDR endpoint defines ({@code location}: {@code locations/{locId}});
   * any other is a 400 ({@link QueryParameters#requireKnown}).
   */
  static final Map<String, List<String>> ACCEPTED =
      Map.of(
          "position", with("coords"),
          "area", with("coords", "resolution-x", "resolution-y"),
          "cube", with("bbox", "resolution-x", "resolution-y"),
          "locations", with("bbox"),
          "location", COMMON);

  private static List<String> with(String... own) {
    List<String> all = new ArrayList<>(List.of(own));
    all.addAll(COMMON);
    return List.copyOf(all);
  }

  private EdrParameters() {}

  /**
   * A parameter the endpoint does not define: 400 naming it, its value and the accepted ones.
   *
   * @param endpoint {@code position}, {@code area}, {@code cube}, {@code locations} or {@code
   *     location}
   */
  static void requireKnown(String endpoint, Map<String, String[]> parameters) {
    QueryParameters.requireKnown(
        endpoint.equals("location") ? "the locations/{locId} query" : "the " + endpoint + " query",
        parameters,
        ACCEPTED.get(endpoint));
  }

  /** {@code f} on a JSON-only resource: absent or {@code json}, else 400. */
  public static void requireJson(String f) {
    if (f != null && !f.equalsIgnoreCase("json") && !f.equalsIgnoreCase("application/json")) {
      throw new IllegalArgumentException("f: '" + f + "' is not supported here; use json");
    }
  }

  /**
   * Checks the common parameters of a query on a collection.
   *
   * @param query {@code position}, {@code area}, {@code cube} or {@code locations}
   * @param v the collection's variable
   * @param parameters the request parameters
   * @param queries the queries each collection offers
   * @throws IllegalArgumentException (400) for an unsupported value, naming it
   * @throws NotFoundException (404) when the collection does not offer the query
   */
  public static void check(
      String query, Variable v, Map<String, String[]> parameters, EdrQueries queries) {
    if (!queries.queries(v).contains(query)) {
      throw new NotFoundException(
          "collection '"
              + v.key()
              + "' offers no "
              + query
              + " query: "
              + v.key()
              + " is not forecast (forecast collections: "
              + queries.forecastKeys()
              + ")");
    }
    String f = single(parameters, "f");
    List<String> formats = FORMATS.get(query);
    if (f != null && formats.stream().noneMatch(f::equalsIgnoreCase)) {
      throw new IllegalArgumentException(
          "f: '"
              + f
              + "' is not an output format of the "
              + query
              + " query; use one of "
              + formats);
    }
    String crs = single(parameters, "crs");
    if (crs != null && !CRS84.contains(crs.trim().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "crs: '" + crs + "' is not supported; the only CRS is OGC:CRS84 (lon, lat WGS84)");
    }
    String names = single(parameters, "parameter-name");
    if (names != null) {
      for (String name : names.split(",")) {
        if (!name.trim().equals(v.key())) {
          throw new IllegalArgumentException(
              "parameter-name: '"
                  + name.trim()
                  + "' is not a parameter of collection '"
                  + v.key()
                  + "'; available: ["
                  + v.key()
                  + "]");
        }
      }
    }
    String z = single(parameters, "z");
    if (z != null) {
      throw new IllegalArgumentException(
          "z: '" + z + "' cannot be honoured; collection '" + v.key() + "' has no vertical axis");
    }
    String datetime = single(parameters, "datetime");
    if (datetime != null) {
      if (query.equals("locations")) {
        throw new IllegalArgumentException(
            "datetime: '"
                + datetime
                + "' is not supported by the locations query, which answers the latest value");
      }
      checkDatetime(datetime);
    }
  }

  /** An RFC 3339 instant or an interval {@code a/b} with {@code ..} for an open end. */
  static void checkDatetime(String datetime) {
    String[] parts = datetime.split("/", -1);
    try {
      if (parts.length == 1 && !parts[0].isBlank()) {
        Instant.parse(parts[0].trim());
        return;
      }
      if (parts.length == 2 && !(parts[0].trim().equals("..") && parts[1].trim().equals(".."))) {
        for (String p : parts) {
          if (!p.trim().equals("..")) {
            Instant.parse(p.trim());
          }
        }
        return;
      }
    } catch (DateTimeParseException e) {
      // the message below names the value
    }
    throw new IllegalArgumentException(
        "datetime: '"
            + datetime
            + "' is not an instant or interval like 2016-02-05T16:00:00Z or"
            + " 2016-02-05T16:00:00Z/.. (.. for an open end)");
  }

  private static String single(Map<String, String[]> parameters, String name) {
    String[] values = parameters.get(name);
    if (values == null || values.length == 0) {
      return null;
    }
    if (values.length > 1) {
      throw new IllegalArgumentException(
          name + ": given " + values.length + " times " + List.of(values) + "; give it once");
    }
    return values[0];
  }
}
