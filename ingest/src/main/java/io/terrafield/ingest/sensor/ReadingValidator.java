package io.terrafield.ingest.sensor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.Variable;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates one raw sensor reading (a JSON object on {@code aq.observations.raw}).
 *
 * <p>Rules, each violation producing a {@link Rejection} whose reason names the field and value:
 *
 * <ul>
 *   <li>the message is at most {@code maxPayloadBytes} bytes and is a JSON object;
 *   <li>{@code station} is present and names a known station;
 *   <li>{@code time} is present, ISO-8601 with an offset ({@code 2013-03-01T00:00:00+08:00}) or UTC
 *       ({@code ...Z}), and not later than now (from the injected clock) plus {@code
 *       maxFutureSkew};
 *   <li>{@code lon}/{@code lat}, when given, are within [-180, 180] / [-90, 90];
 *   <li>{@code unit}, when given, declares the unit of the pollutants: µg/m³ (the contract's), or
 *       {@code ppb}/{@code ppm}, which are converted to µg/m³ for the gases (NO2, SO2, CO, O3) at
 *       25 °C and 1013.25 hPa ({@link DeclaredUnit}); any other unit rejects the message;
 *   <li>each variable ({@link Variable#key()}: {@code pm25}, {@code pm10}, …) is {@code null} (not
 *       measured) or a finite number within its plausible range; strings that hold numbers are
 *       accepted, {@code "NA"} and {@code ""} mean not measured. An invalid value is dropped with
 *       its own {@link Rejection#VARIABLE} rejection and the reading's other variables are kept;
 *   <li>at least one valid variable remains. Unknown fields are ignored.
 * </ul>
 *
 * <p>Thread-safe and serializable (it travels inside Flink operators).
 */
public final class ReadingValidator implements Serializable {

  /** How many characters of an oversized payload the rejection echoes. */
  public static final int MAX_ECHO_CHARS = 4096;

  /** Default ceiling of one reading's size. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);
  private static final Set<String> MISSING_TOKENS = Set.of("", "na", "null");

  private final Map<String, Station> stations;
  private final Clock clock;
  private final Duration maxFutureSkew;
  private final int maxPayloadBytes;

  public ReadingValidator(
      Map<String, Station> stations, Clock clock, Duration maxFutureSkew, int maxPayloadBytes) {
    this.stations = Map.copyOf(stations);
    this.clock = clock;
    this.maxFutureSkew = maxFutureSkew;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /**
   * The outcome of validating one message: exactly one of {@code observation} (the reading, with
   * its valid variables) and {@code rejection} (the whole message rejected) is non-null. {@code
   * droppedVariables} holds one {@link Rejection#VARIABLE} rejection per variable whose value was
   * invalid; it may be non-empty in both cases.
   */
  public record Outcome(
      Observation observation, Rejection rejection, List<Rejection> droppedVariables) {

    /** All rejections of the message: the dropped variables, then the whole-message one. */
    public List<Rejection> rejections() {
      if (rejection == null) {
        return droppedVariables;
      }
      List<Rejection> all = new ArrayList<>(droppedVariables);
      all.add(rejection);
      return all;
    }
  }

  public Outcome validate(String payload) {
    if (payload == null) {
      return reject("", 0, "payload: the message is empty (null value)", "payload", null);
    }
    int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxPayloadBytes) {
      return reject(
          payload,
          bytes,
          "payload: "
              + bytes
              + " bytes exceeds the limit of "
              + maxPayloadBytes
              + " bytes for one reading",
          "payload",
          String.valueOf(bytes));
    }
    JsonNode root;
    try {
      root = JSON.readTree(payload);
    } catch (JsonProcessingException e) {
      return reject(
          payload,
          bytes,
          "payload: malformed JSON (" + e.getOriginalMessage() + ")",
          "payload",
          abbreviate(payload));
    }
    if (root == null || !root.isObject()) {
      return reject(
          payload,
          bytes,
          "payload: expected a JSON object, got " + (root == null ? "nothing" : root.getNodeType()),
          "payload",
          abbreviate(payload));
    }
    return validateObject(root, payload, bytes);
  }

  private Outcome validateObject(JsonNode root, String payload, int bytes) {
    JsonNode stationNode = root.get("station");
    if (stationNode == null || stationNode.isNull() || stationNode.asText().isBlank()) {
      return reject(payload, bytes, "station: missing", "station", null);
    }
    String stationId = stationNode.asText();
    if (!stations.containsKey(stationId)) {
      return reject(
          payload, bytes, "station: unknown station '" + stationId + "'", "station", stationId);
    }
    JsonNode timeNode = root.get("time");
    if (timeNode == null || timeNode.isNull() || timeNode.asText().isBlank()) {
      return reject(payload, bytes, "time: missing", "time", null);
    }
    Instant time;
    try {
      time = OffsetDateTime.parse(timeNode.asText()).toInstant();
    } catch (DateTimeParseException e) {
      return reject(
          payload,
          bytes,
          "time: '"
              + timeNode.asText()
              + "' is not an ISO-8601 date-time with offset (e.g. 2013-03-01T00:00:00+08:00)",
          "time",
          timeNode.asText());
    }
    Instant latest = clock.instant().plus(maxFutureSkew);
    if (time.isAfter(latest)) {
      return reject(
          payload,
          bytes,
          "time: " + time + " is in the future (latest accepted " + latest + ")",
          "time",
          timeNode.asText());
    }
    Outcome coordinates = checkCoordinate(root, "lon", 180, payload, bytes);
    if (coordinates == null) {
      coordinates = checkCoordinate(root, "lat", 90, payload, bytes);
    }
    if (coordinates != null) {
      return coordinates;
    }
    DeclaredUnit unit;
    try {
      unit = DeclaredUnit.of(root.get("unit"));
    } catch (IllegalArgumentException e) {
      return reject(payload, bytes, e.getMessage(), "unit", root.get("unit").asText());
    }
    EnumMap<Variable, Double> values = new EnumMap<>(Variable.class);
    List<Rejection> dropped = new ArrayList<>();
    for (Variable v : Variable.values()) {
      JsonNode node = root.get(v.key());
      if (node == null || node.isNull()) {
        continue;
      }
      Double value;
      if (node.isNumber()) {
        value = node.doubleValue();
      } else if (node.isTextual()) {
        String text = node.asText().trim();
        if (MISSING_TOKENS.contains(text.toLowerCase(Locale.ROOT))) {
          continue;
        }
        try {
          value = Double.valueOf(text);
        } catch (NumberFormatException e) {
          dropped.add(
              variableRejection(
                  payload, bytes, v.key() + ": '" + text + "' is not a number", v, text));
          continue;
        }
      } else {
        dropped.add(
            variableRejection(
                payload,
                bytes,
                v.key() + ": expected a number, got " + node.getNodeType(),
                v,
                node.toString()));
        continue;
      }
      if (value.isNaN() || value.isInfinite()) {
        dropped.add(
            variableRejection(
                payload, bytes, v.key() + ": " + value + " is not a finite number", v, "" + value));
        continue;
      }
      if (v.isPollutant() && !unit.isContractUnit()) {
        if (!unit.converts(v)) {
          dropped.add(
              variableRejection(
                  payload,
                  bytes,
                  v.key()
                      + ": unit '"
                      + unit.declared()
                      + "' is not µg/m³ and "
                      + v.label()
                      + " is not a gas that can be converted",
                  v,
                  strip(value)));
          continue;
        }
        value = unit.toMicrogramsPerCubicMetre(v, value);
      }
      if (value < v.minPlausible() || value > v.maxPlausible()) {
        dropped.add(
            variableRejection(
                payload,
                bytes,
                String.format(
                    Locale.ROOT,
                    "%s: %s is outside the plausible range [%s, %s] %s",
                    v.key(),
                    strip(value),
                    strip(v.minPlausible()),
                    strip(v.maxPlausible()),
                    v.unit()),
                v,
                strip(value)));
        continue;
      }
      values.put(v, value);
    }
    if (values.isEmpty()) {
      Outcome none =
          dropped.isEmpty()
              ? reject(
                  payload,
                  bytes,
                  "payload: no measured value (all variables missing)",
                  "payload",
                  null)
              : reject(
                  payload,
                  bytes,
                  "payload: no valid value left (rejected: "
                      + String.join(", ", dropped.stream().map(Rejection::field).toList())
                      + ")",
                  "payload",
                  null);
      return new Outcome(null, none.rejection(), List.copyOf(dropped));
    }
    JsonNode wd = root.get("wd");
    String windDirection = wd == null || wd.isNull() ? null : wd.asText();
    if (windDirection != null && MISSING_TOKENS.contains(windDirection.toLowerCase(Locale.ROOT))) {
      windDirection = null;
    }
    return new Outcome(
        new Observation(stationId, time, values, windDirection, 1), null, List.copyOf(dropped));
  }

  private Outcome checkCoordinate(
      JsonNode root, String field, double limit, String payload, int bytes) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      return reject(
          payload,
          bytes,
          field + ": '" + node.asText() + "' is not a number",
          field,
          node.asText());
    }
    double value = node.doubleValue();
    if (!(value >= -limit && value <= limit)) {
      return reject(
          payload,
          bytes,
          field
              + ": "
              + strip(value)
              + " is out of range [-"
              + strip(limit)
              + ", "
              + strip(limit)
              + "]",
          field,
          strip(value));
    }
    return null;
  }

  private Outcome reject(String payload, int bytes, String reason, String field, String value) {
    String echo =
        payload.length() > MAX_ECHO_CHARS ? payload.substring(0, MAX_ECHO_CHARS) : payload;
    return new Outcome(
        null, new Rejection(echo, bytes, reason, field, value, clock.instant()), List.of());
  }

  private Rejection variableRejection(
      String payload, int bytes, String reason, Variable variable, String value) {
    String echo =
        payload.length() > MAX_ECHO_CHARS ? payload.substring(0, MAX_ECHO_CHARS) : payload;
    return new Rejection(
        echo, bytes, reason, variable.key(), value, clock.instant(), Rejection.VARIABLE);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  private static String strip(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }
}
