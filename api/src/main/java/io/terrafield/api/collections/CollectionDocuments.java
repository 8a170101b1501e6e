package io.terrafield.api.collections;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The typed answers of the collections resources (OGC API EDR 1.1 and RFC 7946 GeoJSON). */
public final class CollectionDocuments {

  private CollectionDocuments() {}

  /** {@code GET /collections}. */
  public record Collections(List<EdrLink> links, List<Collection> collections) {}

  /** {@code GET /collections/{id}}: one EDR collection. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Collection(
      String id,
      String title,
      String description,
      List<EdrLink> links,
      Extent extent,
      @JsonProperty("data_queries") Map<String, DataQuery> dataQueries,
      List<String> crs,
      @JsonProperty("output_formats") List<String> outputFormats,
      @JsonProperty("parameter_names") Map<String, Parameter> parameterNames) {}

  /** Spatial and temporal extent. */
  public record Extent(Spatial spatial, Temporal temporal) {}

  /** Bounding boxes (minLon, minLat, maxLon, maxLat) in {@code crs}. */
  public record Spatial(List<List<Double>> bbox, String crs) {}

  /** Time intervals {@code [start, end]} ({@code null}: open) in {@code trs}. */
  public record Temporal(List<List<String>> interval, String trs) {}

  /** One data query of a collection. */
  public record DataQuery(QueryLink link) {}

  /** The link of a data query. */
  public record QueryLink(String href, String rel, QueryVariables variables) {}

  /** What a data query accepts and answers. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record QueryVariables(
      String title,
      String description,
      @JsonProperty("query_type") String queryType,
      @JsonProperty("output_formats") List<String> outputFormats,
      @JsonProperty("default_output_format") String defaultOutputFormat,
      @JsonProperty("crs_details") List<CrsDetail> crsDetails,
      @JsonProperty("height_units") List<String> heightUnits) {}

  /** A CRS a query accepts, with its WKT. */
  public record CrsDetail(String crs, String wkt) {}

  /** An EDR parameter description. */
  public record Parameter(
      String type,
      String description,
      @JsonProperty("observedProperty") ObservedProperty observedProperty,
      Unit unit) {}

  /** What a parameter measures. */
  public record ObservedProperty(Map<String, String> label) {}

  /** A unit of measure. */
  public record Unit(String symbol) {}

  /** An RFC 7946 FeatureCollection of stations. */
  public record StationCollection(
      String type, List<StationFeature> features, int numberReturned, List<EdrLink> links) {}

  /** A station with its latest value. */
  public record StationFeature(
      String type, String id, Point geometry, StationProperties properties) {}

  /** A GeoJSON point (lon, lat). */
  public record Point(String type, List<Double> coordinates) {}

  /** The latest hourly value at a station. */
  public record StationProperties(
      String name,
      String network,
      String parameter,
      double value,
      String unit,
      String time,
      long observations) {}
}
