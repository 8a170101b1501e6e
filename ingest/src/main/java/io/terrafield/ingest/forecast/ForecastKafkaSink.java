package io.terrafield.ingest.forecast;

import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.KafkaClientSecurity;
import io.terrafield.store.Alert;
import io.terrafield.store.ForecastRecord;
import io.terrafield.store.Variable;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends each {@link PublishedIssue} to Kafka as CloudEvents in structured mode (the {@code
 * content-type: application/cloudevents+json} header set by the CloudEvents Kafka binding): one
 * {@value ForecastEvents#FORECAST_TYPE} per target on {@link Topics#FORECASTS} and each alert
 * message on {@link Topics#ALERTS}, keyed by target id. At-least-once (flushed on every
 * checkpoint): a replay after a restore re-sends messages with the same CloudEvents ids, which
 * consumers deduplicate on.
 */
public final class ForecastKafkaSink implements Sink<PublishedIssue> {
  private final String bootstrapServers;

  public ForecastKafkaSink(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  @Override
  public SinkWriter<PublishedIssue> createWriter(WriterInitContext context) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    KafkaClientSecurity.environment().applyTo(p);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "terrafield-forecast-job");
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p);
    return new SinkWriter<>() {
      @Override
      public void write(PublishedIssue issue, Context context) {
        Variable v = issue.issue().variable();
        Map<String, List<ForecastRecord>> byTarget = new LinkedHashMap<>();
        for (ForecastRecord r : issue.forecasts()) {
          byTarget.computeIfAbsent(r.targetId(), k -> new java.util.ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<ForecastRecord>> t : byTarget.entrySet()) {
          CloudEvent event = ForecastEvents.forecast(t.getValue(), v.unit());
          producer.send(record(Topics.FORECASTS, t.getKey(), event));
        }
        for (Alert a : issue.alerts()) {
          producer.send(
              record(
                  Topics.ALERTS,
                  a.targetId(),
                  ForecastEvents.deserialize(a.payload().getBytes(StandardCharsets.UTF_8))));
        }
      }

      @Override
      public void flush(boolean endOfInput) {
        producer.flush();
      }

      @Override
      public void close() {
        producer.close();
      }
    };
  }

  private static ProducerRecord<String, byte[]> record(String topic, String key, CloudEvent e) {
    return KafkaMessageFactory.createWriter(topic, null, null, key)
        .writeStructured(e, JsonFormat.CONTENT_TYPE);
  }
}
