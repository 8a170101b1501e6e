package io.terrafield.ingest.sensor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.Variable;
import java.time.ZoneOffset;

/**
 * JSON forms of readings, hourly observations and rejections on the Kafka topics (see
 * docs/topics.md). Thread-safe.
 */
public final class ObservationJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ObservationJson() {}

  /**
   * A raw reading as on {@code aq.observations.raw}: {@code station}, {@code time} (ISO-8601, here
   * in UTC), the measured variables by key, {@code wd}.
   */
  public static String readingJson(Observation o) {
    return write(base(o, null));
  }

  /**
   * A raw reading with the station's position and the time written in the given local offset (as
   * the replay does for Beijing, UTC+8).
   */
  public static String readingJson(Observation o, Station station, ZoneOffset offset) {
    ObjectNode node = base(o, station);
    node.put("time", o.time().atOffset(offset).toString());
    return write(node);
  }

  /** An hourly observation as on {@code aq.observations.hourly}, with {@code samples}. */
  public static String hourlyJson(Observation o, Station station) {
    ObjectNode node = base(o, station);
    node.put("samples", o.sampleCount());
    return write(node);
  }

  /** A rejection as on {@code aq.observations.rejected}. */
  public static String rejectionJson(Rejection r) {
    ObjectNode node = JSON.createObjectNode();
    node.put("reason", r.reason());
    node.put("field", r.field());
    node.put("value", r.value());
    node.put("payload", r.payload());
    node.put("payload_bytes", r.payloadBytes());
    node.put("rejected_at", r.rejectedAt().toString());
    node.put("scope", r.scope());
    return write(node);
  }

  private static ObjectNode base(Observation o, Station station) {
    ObjectNode node = JSON.createObjectNode();
    node.put("station", o.stationId());
    node.put("time", o.time().toString());
    if (station != null) {
      node.put("lon", station.lon());
      node.put("lat", station.lat());
    }
    for (Variable v : Variable.values()) {
      Double x = o.value(v);
      if (x != null) {
        node.put(v.key(), x);
      }
    }
    if (o.windDirection() != null) {
      node.put("wd", o.windDirection());
    }
    return node;
  }

  private static String write(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise JSON: " + e.getMessage(), e);
    }
  }
}
