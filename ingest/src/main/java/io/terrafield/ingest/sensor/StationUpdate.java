package io.terrafield.ingest.sensor;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.terrafield.store.Station;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One message of the station registry topic {@code aq.stations} (compacted, key: station id): the
 * station's current metadata from {@code valid_from} on, or its retirement (a tombstone, {@code
 * json} is {@code null}). See docs/topics.md. The metadata travels as its checked JSON text, so
 * that Flink serializes the update as a POJO of two strings (broadcast stream and state).
 *
 * @param id the station id (the message key)
 * @param json the message value, checked by {@link #parse}, or {@code null} when retired
 */
public record StationUpdate(String id, String json) implements Serializable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  public StationUpdate {
    Objects.requireNonNull(id, "id");
  }

  /** The registration of {@code station} from {@code validFrom} on. */
  public static StationUpdate of(Station station, Instant validFrom) {
    Objects.requireNonNull(validFrom, "validFrom");
    ObjectNode n = JSON.createObjectNode();
    n.put("id", station.id());
    n.put("name", station.name());
    n.put("lon", station.lon());
    n.put("lat", station.lat());
    if (station.altitudeM() != null) {
      n.put("altitude_m", station.altitudeM());
    }
    n.put("network", station.network());
    n.set("metadata", JSON.valueToTree(station.metadata()));
    n.put("valid_from", validFrom.toString());
    return new StationUpdate(station.id(), n.toString());
  }

  /** The retirement of station {@code id}. */
  public static StationUpdate retired(String id) {
    return new StationUpdate(id, null);
  }

  /** Whether the station is registered (not retired). */
  public boolean active() {
    return json != null;
  }

  /** The message value: JSON, or {@code null} (a tombstone) for a retirement. */
  public byte[] value() {
    return json == null ? null : json.getBytes(StandardCharsets.UTF_8);
  }

  /** The station, or {@code null} when retired. */
  public Station station() {
    return json == null ? null : read(id, json).station;
  }

  /** When the metadata took effect, or {@code null} when retired. */
  public Instant validFrom() {
    return json == null ? null : read(id, json).validFrom;
  }

  /**
   * Reads a message of {@code aq.stations}.
   *
   * @throws IllegalArgumentException naming the field when the value is not a valid station
   */
  public static StationUpdate parse(byte[] key, byte[] value) {
    if (key == null) {
      throw new IllegalArgumentException("key: a station update needs the station id as its key");
    }
    String id = new String(key, StandardCharsets.UTF_8);
    if (value == null) {
      return retired(id);
    }
    String json = new String(value, StandardCharsets.UTF_8);
    read(id, json);
    return new StationUpdate(id, json);
  }

  private record Parsed(Station station, Instant validFrom) {}

  private static Parsed read(String id, String json) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          "station " + id + ": malformed JSON: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("station " + id + ": expected a JSON object");
    }
    for (String field : new String[] {"lon", "lat", "valid_from"}) {
      if (!n.hasNonNull(field)) {
        throw new IllegalArgumentException("station " + id + ": " + field + " is missing");
      }
    }
    Instant validFrom;
    try {
      validFrom = Instant.parse(n.get("valid_from").asText());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "station " + id + ": valid_from '" + n.get("valid_from").asText() + "' is not an instant",
          e);
    }
    Map<String, String> metadata;
    try {
      metadata = n.has("metadata") ? JSON.convertValue(n.get("metadata"), STRING_MAP) : Map.of();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("station " + id + ": metadata is not a map of strings", e);
    }
    return new Parsed(
        new Station(
            id,
            text(n, "name"),
            n.get("lon").asDouble(),
            n.get("lat").asDouble(),
            n.hasNonNull("altitude_m") ? n.get("altitude_m").asDouble() : null,
            text(n, "network"),
            metadata),
        validFrom);
  }

  private static String text(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asText() : null;
  }
}
