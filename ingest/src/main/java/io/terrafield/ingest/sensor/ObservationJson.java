package io.terrafield.ingest.sensor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.Variable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;

/**
 * JSON forms of readings, hourly observations and rejections on the Kafka topics (see
 * docs/topics.md), written with Jackson's streaming generator (no tree per message). Thread-safe.
 */
public final class ObservationJson {

  private static final JsonFactory JSON = new JsonFactory();
  private static final Variable[] VARIABLES = Variable.values();

  private ObservationJson() {}

  /** Writes one JSON object into a generator. */
  @FunctionalInterface
  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /**
   * A raw reading as on {@code aq.observations.raw}: {@code station}, {@code time} (ISO-8601, here
   * in UTC), the measured variables by key, {@code wd}.
   */
  public static String readingJson(Observation o) {
    return text(g -> base(g, o, null, o.time().toString(), null));
  }

  /**
   * A raw reading with the station's position and the time written in the given local offset (as
   * the replay does for Beijing, UTC+8).
   */
  public static String readingJson(Observation o, Station station, ZoneOffset offset) {
    return new String(readingJsonBytes(o, station, offset), StandardCharsets.UTF_8);
  }

  /** {@link #readingJson(Observation, Station, ZoneOffset)} as UTF-8 bytes. */
  public static byte[] readingJsonBytes(Observation o, Station station, ZoneOffset offset) {
    return bytes(g -> base(g, o, station, o.time().atOffset(offset).toString(), null));
  }

  /** An hourly observation as on {@code aq.observations.hourly}, with {@code samples}. */
  public static String hourlyJson(Observation o, Station station) {
    return new String(hourlyJsonBytes(o, station), StandardCharsets.UTF_8);
  }

  /** {@link #hourlyJson} as UTF-8 bytes. */
  public static byte[] hourlyJsonBytes(Observation o, Station station) {
    return bytes(g -> base(g, o, station, o.time().toString(), o.sampleCount()));
  }

  /** A rejection as on {@code aq.observations.rejected}. */
  public static String rejectionJson(Rejection r) {
    return text(
        g -> {
          g.writeStartObject();
          g.writeStringField("reason", r.reason());
          g.writeStringField("field", r.field());
          g.writeStringField("value", r.value());
          g.writeStringField("payload", r.payload());
          g.writeNumberField("payload_bytes", r.payloadBytes());
          g.writeStringField("rejected_at", r.rejectedAt().toString());
          g.writeStringField("scope", r.scope());
          g.writeEndObject();
        });
  }

  private static void base(
      JsonGenerator g, Observation o, Station station, String time, Integer samples)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("station", o.stationId());
    g.writeStringField("time", time);
    if (station != null) {
      g.writeNumberField("lon", station.lon());
      g.writeNumberField("lat", station.lat());
    }
    for (Variable v : VARIABLES) {
      Double x = o.value(v);
      if (x != null) {
        g.writeNumberField(v.key(), x);
      }
    }
    if (o.windDirection() != null) {
      g.writeStringField("wd", o.windDirection());
    }
    if (samples != null) {
      g.writeNumberField("samples", samples);
    }
    g.writeEndObject();
  }

  private static byte[] bytes(Body body) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(256);
        JsonGenerator g = JSON.createGenerator(out)) {
      body.write(g);
      g.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise JSON: " + e.getMessage(), e);
    }
  }

  private static String text(Body body) {
    return new String(bytes(body), StandardCharsets.UTF_8);
  }
}
