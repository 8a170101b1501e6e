package io.terrafield.api.forecasts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.api.alerts.AlertBroadcaster;
import io.terrafield.forecasting.categories.CategoryScheme;
import io.terrafield.forecasting.serving.IssuedForecast;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.forecast.ForecastRecords;
import io.terrafield.store.Alert;
import io.terrafield.store.ForecastRecord;
import io.terrafield.store.TargetKind;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes an {@link IssuedForecast} where its users read it: the store ({@link ForecastRecord}s of
 * model {@value ForecastService#MODEL}), Kafka {@code aq.forecasts} (one message per station) and,
 * for stations where P(value &gt; threshold) reaches the alert probability at some lead, an
 * exceedance alert (CloudEvents 1.0 JSON) to the store, Kafka {@code aq.alerts} and the SSE stream.
 * One alert per station and issue, for the first such hour; its id is derived from variable,
 * station, issue time and threshold, so re-publishing an issue changes nothing. Not thread-safe
 * (one issuing thread).
 */
final class ForecastPublisher implements AutoCloseable {
  static final String ALERT_TYPE = "io.terrafield.alert.exceedance";

  private final TerrafieldStore store;
  private final Supplier<String> bootstrapServers;
  private final AlertBroadcaster broadcaster;
  private final double probability;
  private final ObjectMapper json = new ObjectMapper();
  private Producer<String, String> producer;

  ForecastPublisher(
      TerrafieldStore store,
      Supplier<String> bootstrapServers,
      AlertBroadcaster broadcaster,
      double probability) {
    this.store = store;
    this.bootstrapServers = bootstrapServers;
    this.broadcaster = broadcaster;
    this.probability = probability;
  }

  /** Publishes the issue; returns the alerts it raised. */
  List<Alert> publish(Variable v, IssuedForecast issue) {
    List<ForecastRecord> records =
        ForecastRecords.of(
            v, ForecastService.MODEL, issue, TargetKind.STATION, CategoryScheme.US_EPA_AQI);
    List<Alert> alerts = new ArrayList<>();
    for (IssuedForecast.Target t : issue.targets()) {
      int first = -1;
      int peak = 0;
      int exceedingHours = 0;
      for (IssuedForecast.Lead lead : t.leads()) {
        int h = lead.leadHours() - 1;
        if (lead.exceedanceProbability() >= probability) {
          exceedingHours++;
          first = first < 0 ? h : first;
        }
        if (lead.exceedanceProbability() > t.leads().get(peak).exceedanceProbability()) {
          peak = h;
        }
      }
      if (first >= 0) {
        alerts.add(alert(v, issue, t, first, peak, exceedingHours));
      }
    }
    store.putIssue(ForecastRecords.issue(v, ForecastService.MODEL, issue, null, 0), records);
    if (!alerts.isEmpty()) {
      store.upsertAlerts(alerts);
    }
    for (Alert alert : alerts) {
      broadcaster.publish(alert.id(), alert.payload());
    }
    Producer<String, String> kafka = producer();
    if (kafka != null) {
      for (IssuedForecast.Target t : issue.targets()) {
        kafka.send(new ProducerRecord<>(Topics.FORECASTS, t.id(), message(v, issue, t)));
      }
      for (Alert alert : alerts) {
        kafka.send(new ProducerRecord<>(Topics.ALERTS, alert.targetId(), alert.payload()));
      }
      kafka.flush();
    }
    return alerts;
  }

  private Alert alert(
      Variable v,
      IssuedForecast issue,
      IssuedForecast.Target t,
      int first,
      int peak,
      int exceedingHours) {
    String id =
        UUID.nameUUIDFromBytes(
                (v.key() + "|" + t.id() + "|" + issue.issueTime() + "|" + issue.threshold())
                    .getBytes(StandardCharsets.UTF_8))
            .toString();
    IssuedForecast.Lead at = t.leads().get(first);
    IssuedForecast.Lead top = t.leads().get(peak);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("station", t.id());
    data.put("lon", t.lon());
    data.put("lat", t.lat());
    data.put("variable", v.key());
    data.put("unit", v.unit());
    data.put("threshold", issue.threshold());
    data.put("probability", round(at.exceedanceProbability()));
    data.put("min_probability", probability);
    data.put("valid_time", at.validTime().toString());
    data.put("horizon_h", at.leadHours());
    data.put("median", round(at.quantiles().q50()));
    data.put("q95", round(at.quantiles().q95()));
    data.put("peak_probability", round(top.exceedanceProbability()));
    data.put("peak_time", top.validTime().toString());
    data.put("exceeding_hours", exceedingHours);
    data.put("issue_time", issue.issueTime().toString());
    data.put("model", ForecastService.MODEL);
    data.put("model_version", issue.modelVersion());
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("specversion", "1.0");
    event.put("id", id);
    event.put("source", "/terrafield/forecasts/" + v.key());
    event.put("type", ALERT_TYPE);
    event.put("time", issue.issuedAt().toString());
    event.put("subject", t.id());
    event.put("datacontenttype", "application/json");
    event.put("data", data);
    return new Alert(
        id,
        t.id(),
        v,
        at.validTime(),
        issue.threshold(),
        at.exceedanceProbability(),
        issue.issuedAt(),
        write(event));
  }

  private String message(Variable v, IssuedForecast issue, IssuedForecast.Target t) {
    List<Map<String, Object>> steps = new ArrayList<>();
    for (IssuedForecast.Lead lead : t.leads()) {
      IssuedForecast.Quantiles q = lead.quantiles();
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("valid_time", lead.validTime().toString());
      step.put("horizon_h", lead.leadHours());
      step.put("mean", round(lead.mean()));
      step.put("q025", round(q.q025()));
      step.put("q05", round(q.q05()));
      step.put("q25", round(q.q25()));
      step.put("q50", round(q.q50()));
      step.put("q75", round(q.q75()));
      step.put("q95", round(q.q95()));
      step.put("q975", round(q.q975()));
      step.put("p_exceed", round(lead.exceedanceProbability()));
      step.put("interval_factor", round(lead.intervalFactor()));
      steps.add(step);
    }
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("station", t.id());
    message.put("lon", t.lon());
    message.put("lat", t.lat());
    message.put("variable", v.key());
    message.put("unit", v.unit());
    message.put("model", ForecastService.MODEL);
    message.put("model_version", issue.modelVersion());
    message.put("issue_time", issue.issueTime().toString());
    message.put("issued_at", issue.issuedAt().toString());
    message.put("threshold", issue.threshold());
    message.put("forecasts", steps);
    return write(message);
  }

  private Producer<String, String> producer() {
    if (producer == null) {
      String servers = bootstrapServers.get();
      if (servers == null || servers.isBlank()) {
        return null;
      }
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
      p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
      p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000);
      p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20000);
      p.put(ProducerConfig.CLIENT_ID_CONFIG, "terrafield-forecasts");
      producer = new KafkaProducer<>(p);
    }
    return producer;
  }

  static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write JSON: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }
}
