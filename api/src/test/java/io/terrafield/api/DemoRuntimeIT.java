package io.terrafield.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.api.runtime.StreamingRuntime;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.KafkaTestClient;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded runtime of {@code terrafield demo} in one JVM: in-process Kafka broker, the sensor
 * job on a Flink MiniCluster, the H2GIS store and the web server, replaying the real Beijing slice
 * of demo-data (fast) after importing its last week of history before the replay start. The
 * locations endpoint shows all 12 stations and the count keeps growing; once the history is
 * imported the training thread fits the field, the Flink forecast job issues from it and the
 * position query answers from the stored issue with 72 hourly steps, also published on {@code
 * aq.forecasts}; closing the context shuts everything down.
 */
class DemoRuntimeIT {

  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theEmbeddedRuntimeServesTwelveStationsWithGrowingCounts() throws Exception {
    Instant started = Instant.now();
    Path models = java.nio.file.Files.createTempDirectory("terrafield-models");
    ConfigurableApplicationContext app =
        SpringApplication.run(
            TerrafieldApplication.class,
            "--server.port=0",
            "--terrafield.mode=embedded",
            "--terrafield.data=" + Path.of("../demo-data").toAbsolutePath(),
            "--terrafield.store.url=jdbc:h2:mem:demo-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
            "--terrafield.replay.speedup=36000",
            "--terrafield.history.days=7",
            "--terrafield.flink.checkpoint-interval=1s",
            "--terrafield.forecast.interval=2s",
            "--terrafield.forecast.min-history=5d",
            "--terrafield.forecast.history-days=7",
            "--terrafield.forecast.members=4",
            "--terrafield.forecast.width=64",
            "--terrafield.forecast.epochs=3",
            "--terrafield.forecast.batch-size=256",
            "--terrafield.forecast.model-dir=" + models.toAbsolutePath());
    try {
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      long deadline = System.nanoTime() + 120_000_000_000L;
      JsonNode fc = locations(port);
      while (System.nanoTime() < deadline && fc.get("features").size() < 12) {
        Thread.sleep(500);
        fc = locations(port);
      }
      assertThat(fc.get("features")).hasSize(12);
      long first = total(fc);
      long later = first;
      while (System.nanoTime() < deadline && later <= first) {
        Thread.sleep(500);
        later = total(locations(port));
      }
      assertThat(later).isGreaterThan(first);
      HttpResponse<String> page = get(port, "/?f=html");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("leaflet.js");
      assertThat(get(port, "/webjars/leaflet/1.9.4/dist/leaflet.js").statusCode()).isEqualTo(200);
      assertThat(get(port, "/v3/api-docs").body())
          .contains("/collections/{id}/locations", "/collections/{id}/position", "/alerts");

      // Forecasts become available once the field is fit and the forecast job has issued.
      long forecastDeadline = System.nanoTime() + 300_000_000_000L;
      String position = "/collections/pm25/position?coords=POINT(116.417%2039.929)";
      HttpResponse<String> coverage = get(port, position);
      while (System.nanoTime() < forecastDeadline && coverage.statusCode() == 503) {
        assertThat(JSON.readTree(coverage.body()).get("detail").asText())
            .startsWith("forecast not ready: ");
        Thread.sleep(1000);
        coverage = get(port, position);
      }
      assertThat(coverage.statusCode()).as(coverage.body()).isEqualTo(200);
      JsonNode c = JSON.readTree(coverage.body());
      assertThat(c.at("/domain/axes/t/values")).hasSize(72);
      assertThat(c.get("terrafield:station").asText()).isEqualTo("Dongsi");
      TerrafieldStore store = app.getBean(TerrafieldStore.class);
      System.out.printf(
          "first forecast %s after start%n",
          Duration.between(
              started,
              store.issues(Variable.PM25, "cglubnf", 100_000).stream()
                  .map(i -> i.issuedAt())
                  .min(Instant::compareTo)
                  .orElseThrow()));
      StreamingRuntime runtime = app.getBean(StreamingRuntime.class);
      List<JsonNode> messages =
          KafkaTestClient.consumeJson(runtime.bootstrapServers(), Topics.FORECASTS);
      assertThat(messages).isNotEmpty();
      assertThat(messages.get(0).at("/data/forecasts")).hasSize(72);
      assertThat(messages.get(0).at("/data/variable").asText()).isEqualTo("pm25");
    } finally {
      app.close();
    }
  }

  static long total(JsonNode fc) {
    long n = 0;
    for (JsonNode f : fc.get("features")) {
      n += f.at("/properties/observations").asLong();
    }
    return n;
  }

  static JsonNode locations(int port) throws Exception {
    return JSON.readTree(get(port, "/collections/pm25/locations").body());
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
