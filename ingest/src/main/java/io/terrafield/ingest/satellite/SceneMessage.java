package io.terrafield.ingest.satellite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.imagery.BandMap;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scene announcement on {@code sat.scenes}:
 *
 * <pre>{@code
 * {"scene_id":"LC08_195025_20130707","acquired":"2013-07-07T10:15:00Z",
 *  "uri":"file:///data/landsat8_marburg.tif","bands":"landsat8"}
 * }</pre>
 *
 * {@code bands} is a preset ({@code landsat7}, {@code landsat8}) or an object of channel name to
 * 1-based band number ({@code {"red":3,"nir":4}}).
 */
public record SceneMessage(String sceneId, Instant acquired, URI uri, BandMap bands)
    implements Serializable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses a message; the exception's message names the field and the value. */
  public static SceneMessage parse(String payload) throws InvalidSceneException {
    JsonNode root;
    try {
      root = JSON.readTree(payload == null ? "" : payload);
    } catch (Exception e) {
      throw new InvalidSceneException("payload", "payload: malformed JSON");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidSceneException("payload", "payload: expected a JSON object");
    }
    String sceneId = text(root, "scene_id");
    String acquiredText = text(root, "acquired");
    Instant acquired;
    try {
      acquired = OffsetDateTime.parse(acquiredText).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidSceneException(
          "acquired", "acquired: '" + acquiredText + "' is not an ISO-8601 date-time with offset");
    }
    String uriText = text(root, "uri");
    URI uri;
    try {
      uri = new URI(uriText);
    } catch (URISyntaxException e) {
      throw new InvalidSceneException("uri", "uri: '" + uriText + "' is not a URI");
    }
    if (uri.getScheme() == null) {
      uri = java.nio.file.Path.of(uriText).toAbsolutePath().toUri();
    }
    return new SceneMessage(sceneId, acquired, uri, bands(root.get("bands")));
  }

  private static BandMap bands(JsonNode node) throws InvalidSceneException {
    if (node == null || node.isNull()) {
      throw new InvalidSceneException("bands", "bands: missing (landsat7, landsat8 or an object)");
    }
    if (node.isTextual()) {
      return switch (node.asText()) {
        case "landsat7" -> BandMap.landsat7EtmPlus();
        case "landsat8" -> BandMap.landsat8Oli();
        default ->
            throw new InvalidSceneException(
                "bands", "bands: unknown preset '" + node.asText() + "' (landsat7, landsat8)");
      };
    }
    if (!node.isObject()) {
      throw new InvalidSceneException("bands", "bands: expected a preset name or an object");
    }
    Map<String, Integer> map = new LinkedHashMap<>();
    var fields = node.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      if (!e.getValue().canConvertToInt()) {
        throw new InvalidSceneException(
            "bands",
            "bands: band number of '" + e.getKey() + "' is not an integer: " + e.getValue());
      }
      map.put(e.getKey(), e.getValue().asInt());
    }
    try {
      return new BandMap("custom", map);
    } catch (IllegalArgumentException e) {
      throw new InvalidSceneException("bands", "bands: " + e.getMessage());
    }
  }

  private static String text(JsonNode root, String field) throws InvalidSceneException {
    JsonNode node = root.get(field);
    if (node == null || node.isNull() || node.asText().isBlank()) {
      throw new InvalidSceneException(field, field + ": missing");
    }
    return node.asText();
  }

  /** A scene message that cannot be processed, with the offending field. */
  public static final class InvalidSceneException extends Exception {
    private final String field;

    public InvalidSceneException(String field, String message) {
      super(message);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }
}
