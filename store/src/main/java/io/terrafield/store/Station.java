package io.terrafield.store;

import java.util.Map;
import java.util.Objects;

/**
 * A monitoring station at a WGS84 position.
 *
 * @param id stable identifier, unique within the deployment (e.g. {@code Aotizhongxin}, {@code
 *     DENI063})
 * @param name human-readable name (may equal the id)
 * @param lon longitude in degrees, [-180, 180]
 * @param lat latitude in degrees, [-90, 90]
 * @param altitudeM altitude in metres above sea level, or {@code null} when unknown
 * @param network the data set or network the station belongs to (e.g. {@code beijing}, {@code
 *     germany})
 * @param metadata free-form attributes from the source (kept as strings)
 */
public record Station(
    String id,
    String name,
    double lon,
    double lat,
    Double altitudeM,
    String network,
    Map<String, String> metadata)
    implements java.io.Serializable {

  public Station {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("station id must not be blank");
    }
    if (!(lon >= -180 && lon <= 180)) {
      throw new IllegalArgumentException("station " + id + ": lon out of range: " + lon);
    }
    if (!(lat >= -90 && lat <= 90)) {
      throw new IllegalArgumentException("station " + id + ": lat out of range: " + lat);
    }
    name = name == null || name.isBlank() ? id : name;
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
