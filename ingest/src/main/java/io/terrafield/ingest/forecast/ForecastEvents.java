package io.terrafield.ingest.forecast;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.terrafield.forecasting.alerts.AlertTransition;
import io.terrafield.store.ForecastRecord;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The CloudEvents 1.0 messages of the forecast job, built with the CloudEvents Java SDK and written
 * in the structured JSON format ({@code application/cloudevents+json}): {@value #FORECAST_TYPE}
 * (one per target and issue, on {@code aq.forecasts}) and {@value #ALERT_TYPE} (one per alert
 * episode step, on {@code aq.alerts}). Ids are name-based UUIDs of the content's key, so a
 * re-published issue gives the same ids (consumers deduplicate on {@code id}). docs/topics.md shows
 * an example of each.
 */
public final class ForecastEvents {

  /** The type of a forecast message. */
  public static final String FORECAST_TYPE = "io.terrafield.forecast.issued";

  /** The type of an alert message. */
  public static final String ALERT_TYPE = "io.terrafield.alert.exceedance";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EventFormat FORMAT =
      EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

  private ForecastEvents() {}

  /** The structured JSON of a CloudEvent. */
  public static byte[] serialize(CloudEvent event) {
    return FORMAT.serialize(event);
  }

  /** A CloudEvent from its structured JSON. */
  public static CloudEvent deserialize(byte[] json) {
    return FORMAT.deserialize(json);
  }

  /** The forecast message of one target's leads (records of one target and issue). */
  public static CloudEvent forecast(List<ForecastRecord> leads, String unit) {
    ForecastRecord first = leads.get(0);
    List<Map<String, Object>> steps = new ArrayList<>();
    for (ForecastRecord r : leads) {
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("valid_time", r.validTime().toString());
      step.put("horizon_h", r.horizonH());
      step.put("mean", round(r.mean()));
      ForecastRecord.Quantiles q = r.quantiles();
      step.put("q025", round(q.q025()));
      step.put("q05", round(q.q05()));
      step.put("q25", round(q.q25()));
      step.put("q50", round(q.q50()));
      step.put("q75", round(q.q75()));
      step.put("q95", round(q.q95()));
      step.put("q975", round(q.q975()));
      step.put("p_exceed", round(r.exceedanceProbability()));
      step.put("category", r.category());
      step.put("interval_factor", round(r.intervalFactor()));
      steps.add(step);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("target", first.targetId());
    data.put("target_kind", first.targetKind().key());
    data.put("lon", first.lon());
    data.put("lat", first.lat());
    data.put("variable", first.variable().key());
    data.put("unit", unit);
    data.put("model", first.model());
    data.put("model_version", first.modelVersion());
    data.put("issue_time", first.issueTime().toString());
    data.put("threshold", first.threshold());
    data.put("category_scheme", first.categoryScheme());
    data.put("forecasts", steps);
    String key = first.variable().key() + "|" + first.targetId() + "|" + first.issueTime();
    return event(
        "forecast|" + key,
        "/terrafield/forecasts/" + first.variable().key(),
        FORECAST_TYPE,
        first.issueTime(),
        first.targetId(),
        data);
  }

  /**
   * The alert message of one episode step.
   *
   * @param record the forecast at the signal's valid time (for position, threshold, quantiles)
   */
  public static CloudEvent alert(
      AlertTransition.Message m, ForecastRecord record, String unit, Instant issuedAt) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("state", m.kind().name().toLowerCase(java.util.Locale.ROOT));
    data.put("episode_id", m.episodeId());
    data.put("sequence", m.sequence());
    data.put("target", record.targetId());
    data.put("target_kind", record.targetKind().key());
    data.put("lon", record.lon());
    data.put("lat", record.lat());
    data.put("variable", record.variable().key());
    data.put("unit", unit);
    data.put("threshold", record.threshold());
    data.put("probability", round(m.signal().probability()));
    data.put("peak_probability", round(m.peakProbability()));
    data.put("valid_time", m.signal().validTime().toString());
    data.put("horizon_h", record.horizonH());
    data.put("median", round(record.quantiles().q50()));
    data.put("q95", round(record.quantiles().q95()));
    data.put("category_scheme", record.categoryScheme());
    data.put("category", record.category());
    data.put("issue_time", m.signal().issueTime().toString());
    data.put("issued_at", issuedAt.toString());
    data.put("model", record.model());
    data.put("model_version", record.modelVersion());
    return event(
        "alert|" + m.episodeId() + "|" + m.sequence() + "|" + m.signal().issueTime(),
        "/terrafield/alerts/" + record.variable().key(),
        ALERT_TYPE,
        m.signal().issueTime(),
        record.targetId(),
        data);
  }

  private static CloudEvent event(
      String key, String source, String type, Instant time, String subject, Object data) {
    try {
      return CloudEventBuilder.v1()
          .withId(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString())
          .withSource(URI.create(source))
          .withType(type)
          .withTime(time.atOffset(ZoneOffset.UTC))
          .withSubject(subject)
          .withDataContentType("application/json")
          .withData(JSON.writeValueAsBytes(data))
          .build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the data of " + type + ": " + e, e);
    }
  }

  private static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }
}
