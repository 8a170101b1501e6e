package io.terrafield.api.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.api.forecasts.StoredIssues;
import io.terrafield.api.problems.QueryParameters;
import io.terrafield.store.Alert;
import io.terrafield.store.AlertStore;
import io.terrafield.store.ForecastGrid;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.ForecastStore;
import io.terrafield.store.TargetKind;
import io.terrafield.store.Variable;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /alerts}: exceedance alerts issued since {@code since} (default: the 24 h before the
 * newest forecast issue, else before now: in a replay such as the demo the issues carry the data's
 * time, not the clock's), newest first, as an RFC 7946 GeoJSON FeatureCollection (a Point per
 * station; the properties are the CloudEvent's {@code data} plus {@code id} and {@code issue_time},
 * the forecast's issue time, which {@code since} and the order use; {@code issued_at}, when the
 * message has it, is the job's clock when it computed the issue, as on the stream); {@code
 * target-type=station} or {@code cell} keeps the alerts of stations or of grid cells only (absent:
 * both; anything else is a 400 naming it), before {@code limit}. {@code GET /alerts/stream}:
 * server-sent events fed from the Kafka topic {@code aq.alerts} ({@link AlertFeed}), one {@code
 * alert} event per new alert with the CloudEvents JSON as data, heartbeats and replay from {@code
 * Last-Event-ID} ({@link AlertBroadcaster}).
 */
@RestController
public class AlertsController {

  static final String GEO_JSON = "application/geo+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The values of {@code f} (case-insensitive): all answer GeoJSON. */
  static final List<String> FORMATS = List.of("GeoJSON", "json");

  /** The most alerts one answer holds: a larger {@code limit} is capped at it. */
  static final int MAX_LIMIT = 1000;

  private final AlertStore alerts;
  private final ForecastStore forecasts;
  private final AlertBroadcaster broadcaster;
  private final Clock clock;

  public AlertsController(
      AlertStore alerts, ForecastStore forecasts, AlertBroadcaster broadcaster, Clock clock) {
    this.alerts = alerts;
    this.forecasts = forecasts;
    this.broadcaster = broadcaster;
    this.clock = clock;
  }

  @GetMapping(
      value = "/alerts",
      produces = {GEO_JSON, MediaType.APPLICATION_JSON_VALUE})
  public Map<String, Object> alerts(
      @RequestParam(required = false) String since,
      @RequestParam(name = "limit", required = false) BigInteger asked,
      @RequestParam(name = "target-type", required = false) String targetType,
      @RequestParam(required = false) String f) {
    if (f != null && FORMATS.stream().noneMatch(f::equalsIgnoreCase)) {
      throw new IllegalArgumentException(
          "f: '" + f + "' is not an output format of /alerts; use one of " + FORMATS);
    }
    int limit = QueryParameters.limit(asked, 100, MAX_LIMIT);
    TargetKind kind = targetKind(targetType);
    Instant from;
    try {
      from = since == null ? now().minus(Duration.ofHours(24)) : Instant.parse(since);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "since: '" + since + "' is not an ISO-8601 instant like 2026-11-26T12:00:00Z");
    }
    List<Alert> found = new ArrayList<>(alerts.alertsIssuedSince(from, 100_000));
    if (kind != null) {
      found.removeIf(a -> kindOf(a) != kind);
    }
    found.sort((a, b) -> b.issuedAt().compareTo(a.issuedAt()));
    List<Map<String, Object>> features = new ArrayList<>();
    for (Alert alert : found.subList(0, Math.min(limit, found.size()))) {
      features.add(feature(alert));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "FeatureCollection");
    body.put("features", features);
    body.put("numberReturned", features.size());
    body.put("numberMatched", found.size());
    body.put("since", from.toString());
    if (kind != null) {
      body.put("target-type", kind.key());
    }
    return body;
  }

  /** The {@code target-type} asked for: null (both) when absent. */
  static TargetKind targetKind(String targetType) {
    if (targetType == null) {
      return null;
    }
    for (TargetKind k : TargetKind.values()) {
      if (k.key().equals(targetType)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "target-type: '" + targetType + "' is not one of [station, cell] (absent: both)");
  }

  /**
   * Whether an alert is of a station or a grid cell: its message's {@code target_kind}, else (a
   * message without it) a target id of the form {@code cell_<size>_<column>_<row>} is a cell.
   */
  static TargetKind kindOf(Alert alert) {
    Object kind = data(alert).get("target_kind");
    if (kind instanceof String k) {
      for (TargetKind t : TargetKind.values()) {
        if (t.key().equals(k)) {
          return t;
        }
      }
    }
    try {
      ForecastGrid.parse(alert.targetId());
      return TargetKind.CELL;
    } catch (IllegalArgumentException e) {
      return TargetKind.STATION;
    }
  }

  /** The newest forecast issue time of any variable, else the clock's instant. */
  private Instant now() {
    Instant newest = null;
    for (Variable v : Variable.values()) {
      Optional<ForecastIssue> issue = forecasts.newestIssue(v, StoredIssues.MODEL);
      if (issue.isPresent() && (newest == null || issue.get().issueTime().isAfter(newest))) {
        newest = issue.get().issueTime();
      }
    }
    return newest != null ? newest : clock.instant();
  }

  /**
   * Server-sent events: one {@code alert} event per new alert (id the alert id, data the
   * CloudEvents JSON), comment lines as heartbeats; with {@code Last-Event-ID} (the header a
   * reconnecting EventSource sends) first the stored alerts after that one.
   */
  @GetMapping(value = "/alerts/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter stream(
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
    return broadcaster.subscribe(lastEventId);
  }

  private static Map<String, Object> feature(Alert alert) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("id", alert.id());
    properties.put("station", alert.targetId());
    properties.put("variable", alert.variable().key());
    properties.put("threshold", alert.threshold());
    properties.put("probability", Math.round(alert.probability() * 1000) / 1000.0);
    properties.put("valid_time", alert.validTime().toString());
    // The forecast's issue time (the data time of the issue, as the CloudEvent's time and
    // data.issue_time); the message's issued_at (the job's clock when it computed the issue) comes
    // with the data, as on /alerts/stream: never the issue time under that name.
    properties.put("issue_time", alert.issuedAt().toString());
    Map<String, Object> data = data(alert);
    data.forEach(properties::putIfAbsent);
    Map<String, Object> feature = new LinkedHashMap<>();
    feature.put("type", "Feature");
    feature.put("id", alert.id());
    Object lon = data.get("lon");
    Object lat = data.get("lat");
    feature.put(
        "geometry",
        lon instanceof Number && lat instanceof Number
            ? Map.of("type", "Point", "coordinates", List.of(lon, lat))
            : null);
    feature.put("properties", properties);
    return feature;
  }

  private static Map<String, Object> data(Alert alert) {
    if (alert.payload() == null) {
      return Map.of();
    }
    try {
      Map<String, Object> event =
          JSON.readValue(alert.payload(), new TypeReference<Map<String, Object>>() {});
      Object data = event.get("data");
      if (data instanceof Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
      }
      return Map.of();
    } catch (JsonProcessingException e) {
      return Map.of();
    }
  }
}
