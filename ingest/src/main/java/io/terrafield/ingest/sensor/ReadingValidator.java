package io.terrafield.ingest.sensor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.Variable;
import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Parses and validates one raw sensor reading (a JSON object on {@code aq.observations.raw}).
 *
 * <p>Rules, each violation producing a {@link Rejection} whose reason names the field and value:
 *
 * <ul>
 *   <li>the message is at most {@code maxPayloadBytes} bytes and is a JSON object;
 *   <li>{@code station} is present and names a known station (in the sensor job: registered on
 *       {@code aq.stations} and not retired, or given when the job started);
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
   * The outcome of validating one message: exactly one of {@code reading} (with its valid
   * variables) and {@code rejection} (the whole message rejected) is non-null. {@code
   * droppedVariables} holds one {@link Rejection#VARIABLE} rejection per variable whose value was
   * invalid; it may be non-empty in both cases.
   */
  public record Outcome(Reading reading, Rejection rejection, List<Rejection> droppedVariables) {

    /** The accepted reading as an observation, or {@code null} when the message was rejected. */
    public Observation observation() {
      return reading == null ? null : reading.toObservation();
    }

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

  /** Whether {@code id} is one of the stations the validator was built with. */
  boolean knows(String id) {
    return stations.containsKey(id);
  }

  /** Validates against the stations the validator was built with. */
  public Outcome validate(String payload) {
    return validate(payload, stations::containsKey);
  }

  /**
   * Validates with {@code known} deciding which station ids are known (the registry's broadcast
   * state in the sensor job).
   */
  public Outcome validate(String payload, Predicate<String> known) {
    if (payload == null) {
      return reject("", 0, "payload: the message is empty (null value)", "payload", null);
    }
    int bytes = payload.length() * 3 <= maxPayloadBytes ? -1 : utf8Length(payload);
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
    ReadingFields fields;
    try (JsonParser p = JSON.createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return notAnObject(payload, bytes);
      }
      fields = ReadingFields.read(p);
    } catch (IOException e) {
      String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : "" + e;
      return reject(
          payload,
          bytes,
          "payload: malformed JSON (" + message + ")",
          "payload",
          abbreviate(payload));
    }
    return validateObject(fields, known, payload, bytes);
  }

  /** The rejection of a message that is not a JSON object, as a tree names it. */
  private Outcome notAnObject(String payload, int bytes) {
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
    return reject(
        payload,
        bytes,
        "payload: expected a JSON object, got " + (root == null ? "nothing" : root.getNodeType()),
        "payload",
        abbreviate(payload));
  }

  private Outcome validateObject(
      ReadingFields f, Predicate<String> known, String payload, int bytes) {
    String stationId = f.absentOrNull(ReadingFields.STATION) ? "" : f.texts[ReadingFields.STATION];
    if (stationId.isBlank()) {
      return reject(payload, bytes, "station: missing", "station", null);
    }
    if (!known.test(stationId)) {
      return reject(
          payload, bytes, "station: unknown station '" + stationId + "'", "station", stationId);
    }
    String timeText = f.absentOrNull(ReadingFields.TIME) ? "" : f.texts[ReadingFields.TIME];
    if (timeText.isBlank()) {
      return reject(payload, bytes, "time: missing", "time", null);
    }
    Instant time;
    try {
      time = OffsetDateTime.parse(timeText).toInstant();
    } catch (DateTimeParseException e) {
      return reject(
          payload,
          bytes,
          "time: '"
              + timeText
              + "' is not an ISO-8601 date-time with offset (e.g. 2013-03-01T00:00:00+08:00)",
          "time",
          timeText);
    }
    Instant latest = clock.instant().plus(maxFutureSkew);
    if (time.isAfter(latest)) {
      return reject(
          payload,
          bytes,
          "time: " + time + " is in the future (latest accepted " + latest + ")",
          "time",
          timeText);
    }
    Outcome coordinates = checkCoordinate(f, ReadingFields.LON, "lon", 180, payload, bytes);
    if (coordinates == null) {
      coordinates = checkCoordinate(f, ReadingFields.LAT, "lat", 90, payload, bytes);
    }
    if (coordinates != null) {
      return coordinates;
    }
    DeclaredUnit unit;
    JsonNode unitNode = f.trees[ReadingFields.UNIT];
    try {
      unit = DeclaredUnit.of(unitNode);
    } catch (IllegalArgumentException e) {
      return reject(payload, bytes, e.getMessage(), "unit", unitNode.asText());
    }
    double[] values = new double[Reading.VARIABLES];
    List<Rejection> dropped = new ArrayList<>(0);
    int valid =
        VariableRules.read(
            f,
            unit,
            values,
            (reason, v, value) -> dropped.add(variableRejection(payload, bytes, reason, v, value)));
    List<Rejection> droppedList = dropped.isEmpty() ? List.of() : List.copyOf(dropped);
    if (valid == 0) {
      Outcome none =
          droppedList.isEmpty()
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
                      + String.join(", ", droppedList.stream().map(Rejection::field).toList())
                      + ")",
                  "payload",
                  null);
      return new Outcome(null, none.rejection(), droppedList);
    }
    String windDirection = f.absentOrNull(ReadingFields.WD) ? null : f.texts[ReadingFields.WD];
    if (windDirection != null
        && VariableRules.MISSING_TOKENS.contains(windDirection.toLowerCase(Locale.ROOT))) {
      windDirection = null;
    }
    return new Outcome(
        new Reading(stationId, time.toEpochMilli(), values, windDirection), null, droppedList);
  }

  private Outcome checkCoordinate(
      ReadingFields f, int slot, String field, double limit, String payload, int bytes) {
    if (f.absentOrNull(slot)) {
      return null;
    }
    if (!f.isNumber(slot)) {
      return reject(
          payload,
          bytes,
          field + ": '" + f.texts[slot] + "' is not a number",
          field,
          f.texts[slot]);
    }
    double value = f.numbers[slot];
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
    bytes = bytes >= 0 ? bytes : utf8Length(payload);
    String echo =
        payload.length() > MAX_ECHO_CHARS ? payload.substring(0, MAX_ECHO_CHARS) : payload;
    return new Outcome(
        null, new Rejection(echo, bytes, reason, field, value, clock.instant()), List.of());
  }

  private Rejection variableRejection(
      String payload, int bytes, String reason, Variable variable, String value) {
    bytes = bytes >= 0 ? bytes : utf8Length(payload);
    String echo =
        payload.length() > MAX_ECHO_CHARS ? payload.substring(0, MAX_ECHO_CHARS) : payload;
    return new Rejection(
        echo, bytes, reason, variable.key(), value, clock.instant(), Rejection.VARIABLE);
  }

  /** The UTF-8 size of {@code s} in bytes, without encoding it. */
  static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  static String strip(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }
}
