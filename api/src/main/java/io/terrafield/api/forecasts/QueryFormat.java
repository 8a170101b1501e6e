package io.terrafield.api.forecasts;

import java.util.List;
import java.util.Locale;
import org.springframework.http.MediaType;

/**
 * The output formats of the forecast queries ({@code f}): CoverageJSON (the default), GeoJSON (RFC
 * 7946 FeatureCollection, one Point feature per location and valid time) and CSV (RFC 4180, one row
 * per location and valid time, a header row first).
 */
enum QueryFormat {
  COVERAGE_JSON(CoverageJson.MEDIA_TYPE, List.of("coveragejson", "covjson", "json")),
  GEO_JSON("application/geo+json", List.of("geojson")),
  CSV("text/csv;charset=UTF-8", List.of("csv"));

  /** The values {@code f} accepts, as the collection metadata lists them. */
  static final List<String> NAMES = List.of("CoverageJSON", "GeoJSON", "CSV");

  private final MediaType mediaType;
  private final List<String> names;

  QueryFormat(String mediaType, List<String> names) {
    this.mediaType = MediaType.parseMediaType(mediaType);
    this.names = names;
  }

  /** The media type of the answer. */
  MediaType mediaType() {
    return mediaType;
  }

  /**
   * The format {@code f} names (case-insensitive); absent: CoverageJSON.
   *
   * @throws IllegalArgumentException naming {@code f} and the value otherwise
   */
  static QueryFormat of(String f) {
    if (f == null || f.isBlank()) {
      return COVERAGE_JSON;
    }
    String name = f.trim().toLowerCase(Locale.ROOT);
    for (QueryFormat format : values()) {
      if (format.names.contains(name)) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "f: '" + f + "' is not an output format of the forecast queries; use one of " + NAMES);
  }
}
