package io.terrafield.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.EmbeddedKafka;
import io.terrafield.ingest.kafka.KafkaTestClient;
import io.terrafield.ingest.sensor.ObservationJson;
import io.terrafield.ingest.sensor.SensorJob;
import io.terrafield.ingest.sensor.SensorJobOptions;
import io.terrafield.store.Observation;
import io.terrafield.store.PostgisTestSupport;
import io.terrafield.store.Station;
import io.terrafield.store.Variable;
import io.terrafield.store.importers.BeijingImporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole path with real parts: the real Beijing readings (the slice in demo-data) and bad
 * records → in-process Kafka broker → the sensor job on a Flink MiniCluster → the store (embedded
 * H2GIS, and PostGIS when reachable; mandatory in CI) → {@code GET /collections/pm25/locations}.
 */
class EndToEndIT {

  static final Path BEIJING = Path.of("../demo-data/airquality/beijing");
  static final Instant FROM = Instant.parse("2016-01-31T16:00:00Z"); // 2016-02-01 00:00 +08
  static final Instant TO = FROM.plus(Duration.ofHours(48));
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path kafkaDir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2gis", "postgis"})
  void readingsFlowFromKafkaThroughFlinkToTheStoreAndTheLocationsEndpoint(String store)
      throws Exception {
    String url;
    String user = "";
    String password = "";
    PostgisTestSupport.IsolatedSchema schema = null;
    if (store.equals("postgis")) {
      PostgisTestSupport.assumeAvailable();
      schema = PostgisTestSupport.isolatedSchema();
      url = schema.url();
      user = PostgisTestSupport.user();
      password = PostgisTestSupport.password();
    } else {
      url = "jdbc:h2:mem:e2e-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }
    BeijingImporter beijing = new BeijingImporter(BEIJING);
    List<Station> stations = beijing.stations();
    Map<String, Station> byId =
        stations.stream().collect(Collectors.toMap(Station::id, Function.identity()));
    List<Observation> slice;
    try (Stream<Observation> s = beijing.observationsByTime(FROM, TO)) {
      slice = s.toList();
    }
    List<String> messages = new ArrayList<>();
    for (Observation o : slice) {
      messages.add(ObservationJson.readingJson(o, byId.get(o.stationId()), ZoneOffset.ofHours(8)));
    }
    messages.add("{\"station\":\"Dongsi\",\"time\":\"2016-02-02T05:30:00+08:00\",\"pm25\":2500}");
    messages.add("not json");

    StoreSettings settings = new StoreSettings(url, user, password);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir)) {
      kafka.createTopics(
          List.of(
              Topics.OBSERVATIONS_RAW, Topics.OBSERVATIONS_REJECTED, Topics.OBSERVATIONS_HOURLY),
          1);
      KafkaTestClient.produce(kafka.bootstrapServers(), Topics.OBSERVATIONS_RAW, messages);
      Clock clock = Clock.fixed(Instant.parse("2016-03-01T00:00:00Z"), ZoneOffset.UTC);
      SensorJob.kafka(
              kafka.bootstrapServers(), settings, stations, SensorJobOptions.defaults(clock), true)
          .execute(StreamExecutionEnvironment.createLocalEnvironment(1));
    }

    ConfigurableApplicationContext app =
        SpringApplication.run(
            TerrafieldApplication.class,
            "--server.port=0",
            "--terrafield.streaming.enabled=false",
            "--terrafield.forecast.enabled=false",
            "--terrafield.data=" + BEIJING.getParent().getParent().toAbsolutePath(),
            "--terrafield.store.url=" + url,
            "--terrafield.store.user=" + user,
            "--terrafield.store.password=" + password);
    try {
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      HttpResponse<String> response = get(port, "/collections/pm25/locations");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("application/geo+json"));
      JsonNode fc = JSON.readTree(response.body());
      assertThat(fc.get("type").asText()).isEqualTo("FeatureCollection");
      assertThat(fc.get("features")).hasSize(12);

      Map<String, Observation> latest = new HashMap<>();
      Map<String, Long> counts = new HashMap<>();
      for (Observation o : slice) {
        if (o.value(Variable.PM25) != null) {
          latest.put(o.stationId(), o);
          counts.merge(o.stationId(), 1L, Long::sum);
        }
      }
      for (JsonNode f : fc.get("features")) {
        String id = f.get("id").asText();
        Observation expected = latest.get(id);
        assertThat(f.at("/geometry/type").asText()).isEqualTo("Point");
        assertThat(f.at("/geometry/coordinates/0").asDouble()).isEqualTo(byId.get(id).lon());
        assertThat(f.at("/geometry/coordinates/1").asDouble()).isEqualTo(byId.get(id).lat());
        assertThat(f.at("/properties/value").asDouble())
            .as(id)
            .isEqualTo(expected.value(Variable.PM25));
        assertThat(Instant.parse(f.at("/properties/time").asText())).isEqualTo(expected.time());
        assertThat(f.at("/properties/observations").asLong()).as(id).isEqualTo(counts.get(id));
        assertThat(f.at("/properties/unit").asText()).isEqualTo("µg/m³");
      }
      // Spot check against the CSV: PRSA_Data_Dongsi, 2016-02-02 23:00 local, PM2.5 = 83.
      assertThat(latest.get("Dongsi").time()).isEqualTo(Instant.parse("2016-02-02T15:00:00Z"));

      JsonNode collections = JSON.readTree(get(port, "/collections").body());
      assertThat(collections.get("collections"))
          .extracting(c -> c.get("id").asText())
          .containsExactly("pm25", "pm10", "no2", "so2", "co", "o3");

      HttpResponse<String> missing = get(port, "/collections/pm99/locations");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.headers().firstValue("content-type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
      assertThat(JSON.readTree(missing.body()).get("detail").asText())
          .startsWith("collection: unknown collection 'pm99'");
    } finally {
      app.close();
      if (schema != null) {
        schema.close();
      }
    }
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
