package io.terrafield.api.forecasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.api.TerrafieldApplication;
import io.terrafield.api.alerts.AlertBroadcaster;
import io.terrafield.api.runtime.StreamingRuntime;
import io.terrafield.api.runtime.TerrafieldProperties;
import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.forecast.ForecastJob;
import io.terrafield.ingest.kafka.EmbeddedKafka;
import io.terrafield.ingest.kafka.KafkaTestClient;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import io.terrafield.store.importers.BeijingImporter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Forecasts and alerts with real parts: the H2GIS store seeded with real Beijing PM2.5 (the slice
 * in demo-data, 12 stations, from 2016-02-01 00:00 +08), the real CGLUBNF fit (small, by {@link
 * ForecastTrainer#runOnce} on the first 4 days), the Flink forecast job on a local MiniCluster
 * reading the 5 days' hourly messages from an embedded Kafka broker (bounded) into the store and
 * {@code aq.alerts}, the web server on a random port, an SSE client over HTTP. The trainer's
 * schedule is set to one hour so it does not interfere. The alert threshold is set low (10 µg/m³)
 * so that alerts certainly occur.
 */
class ForecastsIT {

  static final Path BEIJING = Path.of("../demo-data/airquality/beijing");
  static final Instant FROM = Instant.parse("2016-01-31T16:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path MODELS = tempDir();

  static Path tempDir() {
    try {
      return java.nio.file.Files.createTempDirectory("terrafield-models");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static ConfigurableApplicationContext app;
  static int port;
  static TerrafieldStore store;
  static ForecastTrainer trainer;
  static List<Station> stations;
  static String notEnoughHistory;
  static final BlockingQueue<String> sse = new LinkedBlockingQueue<>();
  static CompletableFuture<?> sseClient;
  static EmbeddedKafka kafka;
  static final String MODEL = StoredIssues.MODEL;

  @BeforeAll
  static void seedFitAndIssue() throws Exception {
    kafka = EmbeddedKafka.start(java.nio.file.Files.createTempDirectory("terrafield-kafka"));
    EmbeddedKafka.createTopics(
        kafka.bootstrapServers(),
        List.of(Topics.OBSERVATIONS_HOURLY, Topics.FORECASTS, Topics.ALERTS),
        1);
    String url = "jdbc:h2:mem:forecasts-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    app =
        SpringApplication.run(
            TerrafieldApplication.class,
            "--server.port=0",
            "--terrafield.streaming.enabled=false",
            "--terrafield.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
            "--terrafield.data=" + BEIJING.getParent().getParent().toAbsolutePath(),
            "--terrafield.store.url=" + url,
            "--terrafield.forecast.interval=1h",
            "--terrafield.forecast.threshold=10",
            "--terrafield.forecast.min-history=3d",
            "--terrafield.forecast.history-days=14",
            "--terrafield.forecast.members=4",
            "--terrafield.forecast.width=64",
            "--terrafield.forecast.epochs=8",
            "--terrafield.forecast.batch-size=256",
            "--terrafield.forecast.cell-size=0.1",
            "--terrafield.forecast.model-dir=" + MODELS.toAbsolutePath());
    port = ((WebServerApplicationContext) app).getWebServer().getPort();
    store = app.getBean(TerrafieldStore.class);
    trainer = app.getBean(ForecastTrainer.class);
    BeijingImporter beijing = new BeijingImporter(BEIJING);
    stations = beijing.stations();
    store.upsertStations(stations);

    seed(beijing, FROM, FROM.plus(Duration.ofHours(48)));
    trainer.runOnce();
    notEnoughHistory =
        get("/collections/pm25/position?coords=" + encode("POINT(116.417 39.929)")).body();
    // the field is trained on the first 4 days; the job issues the hours after them
    seed(beijing, FROM.plus(Duration.ofHours(48)), FROM.plus(Duration.ofHours(96)));
    trainer.runOnce();
    seed(beijing, FROM.plus(Duration.ofHours(96)), FROM.plus(Duration.ofHours(120)));

    sseClient =
        HttpClient.newHttpClient()
            .sendAsync(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/alerts/stream"))
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofLines())
            .thenAccept(r -> r.body().forEach(sse::add));
    AlertBroadcaster broadcaster = app.getBean(AlertBroadcaster.class);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (broadcaster.subscribers() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(broadcaster.subscribers()).isEqualTo(1);

    KafkaTestClient.produce(
        kafka.bootstrapServers(),
        Topics.OBSERVATIONS_HOURLY,
        hourly(beijing, FROM, FROM.plus(Duration.ofHours(120))));
    TerrafieldProperties properties = app.getBean(TerrafieldProperties.class);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
    env.enableCheckpointing(1000);
    ForecastJob.kafka(
            kafka.bootstrapServers(),
            app.getBean(StoreSettings.class),
            StreamingRuntime.forecastJobOptions(
                properties.forecast(), java.time.Clock.systemUTC(), false),
            true)
        .execute(env);
    // the newest-issue queries answer from the issue the refresher has read: wait until it has
    // read the last one the job stored
    StoredIssues issues = app.getBean(StoredIssues.class);
    ForecastIssue newest = store.newestIssue(Variable.PM25, MODEL).orElseThrow();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              StoredIssues.Served served = issues.served(Variable.PM25);
              return served != null && served.row().equals(newest);
            });
  }

  static void seed(BeijingImporter beijing, Instant from, Instant to) {
    try (Stream<Observation> s = beijing.observationsByTime(from, to)) {
      store.upsertObservations(s.toList());
    }
  }

  /** The hourly messages of {@code aq.observations.hourly} for [from, to). */
  static List<String> hourly(BeijingImporter beijing, Instant from, Instant to) {
    Map<String, Station> byId = new java.util.HashMap<>();
    stations.forEach(st -> byId.put(st.id(), st));
    List<String> out = new ArrayList<>();
    try (Stream<Observation> s = beijing.observationsByTime(from, to)) {
      s.forEach(
          o -> {
            Double y = o.value(Variable.PM25);
            Station st = byId.get(o.stationId());
            if (y != null && st != null) {
              out.add(
                  String.format(
                      java.util.Locale.ROOT,
                      "{\"station\":\"%s\",\"time\":\"%s\",\"lon\":%s,\"lat\":%s,"
                          + "\"pm25\":%s,\"samples\":1}",
                      st.id(),
                      o.time(),
                      st.lon(),
                      st.lat(),
                      y));
            }
          });
    }
    return out;
  }

  @AfterAll
  static void close() {
    if (sseClient != null) {
      sseClient.cancel(true);
    }
    if (app != null) {
      app.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void beforeTheFirstStoredIssueThePositionQueryIs503WithTheReason() throws Exception {
    JsonNode problem = JSON.readTree(notEnoughHistory);
    assertThat(problem.get("status").asInt()).isEqualTo(503);
    assertThat(problem.get("detail").asText())
        .startsWith("forecast not ready: no pm25 forecast is stored yet");
  }

  @Test
  void aStationPositionAnswersCoverageJsonWith72OrderedQuantiles() throws Exception {
    Station dongsi =
        stations.stream().filter(s -> s.id().equals("Dongsi")).findFirst().orElseThrow();
    HttpResponse<String> r =
        get(
            "/collections/pm25/position?coords="
                + encode("POINT(" + (dongsi.lon() + 0.01) + " " + dongsi.lat() + ")"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/prs.coverage+json"));
    JsonNode c = JSON.readTree(r.body());
    assertThat(c.get("terrafield:source").asText()).isEqualTo("station");
    assertThat(c.get("terrafield:station").asText()).isEqualTo("Dongsi");
    // The newest stored hour is 2016-02-05 23:00 +08; the first valid time is the hour after.
    assertThat(c.get("terrafield:issueTime").asText()).isEqualTo("2016-02-05T16:00:00Z");
    assertValidCoverage(c);
  }

  @Test
  void farFromStationsThePositionQueryAnswersFromTheStoredIssue() throws Exception {
    HttpResponse<String> r =
        get("/collections/pm25/position?coords=" + encode("POINT(116.5 40.1)"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode c = JSON.readTree(r.body());
    // the forecast job stores grid cells of the domain: the field answers between them, the
    // nearest station's forecast where no cell is near
    assertThat(c.get("terrafield:source").asText()).isIn("field", "nearest-station");
    assertThat(c.get("terrafield:distanceKm").asDouble()).isGreaterThan(10);
    assertValidCoverage(c);
  }

  static void assertValidCoverage(JsonNode c) {
    assertThat(c.get("type").asText()).isEqualTo("Coverage");
    assertThat(c.at("/domain/type").asText()).isEqualTo("Domain");
    assertThat(c.at("/domain/domainType").asText()).isEqualTo("PointSeries");
    assertThat(c.at("/domain/axes/x/values")).hasSize(1);
    assertThat(c.at("/domain/axes/y/values")).hasSize(1);
    JsonNode t = c.at("/domain/axes/t/values");
    assertThat(t).hasSize(72);
    for (int i = 1; i < 72; i++) {
      assertThat(
              Duration.between(
                  Instant.parse(t.get(i - 1).asText()), Instant.parse(t.get(i).asText())))
          .isEqualTo(Duration.ofHours(1));
    }
    String[] order = {"q025", "q05", "q25", "q50", "q75", "q95", "q975"};
    for (String name : order) {
      assertThat(c.at("/parameters/pm25_" + name + "/type").asText()).isEqualTo("Parameter");
      JsonNode range = c.at("/ranges/pm25_" + name);
      assertThat(range.get("type").asText()).isEqualTo("NdArray");
      assertThat(range.get("axisNames").get(0).asText()).isEqualTo("t");
      assertThat(range.get("shape").get(0).asInt()).isEqualTo(72);
      assertThat(range.get("values")).hasSize(72);
    }
    for (int i = 0; i < 72; i++) {
      double previous = 0;
      for (String name : order) {
        double q = c.at("/ranges/pm25_" + name + "/values/" + i).asDouble();
        assertThat(q).as(name + " at step " + i).isFinite().isGreaterThanOrEqualTo(previous);
        previous = q;
      }
      double p = c.at("/ranges/pm25_p_exceed/values/" + i).asDouble();
      assertThat(p).isBetween(0.0, 1.0);
    }
    // The 95 % band is wider than the 90 % band somewhere (not degenerate).
    double width95 =
        c.at("/ranges/pm25_q975/values/71").asDouble()
            - c.at("/ranges/pm25_q025/values/71").asDouble();
    double width90 =
        c.at("/ranges/pm25_q95/values/71").asDouble()
            - c.at("/ranges/pm25_q05/values/71").asDouble();
    assertThat(width95).isGreaterThan(width90).isGreaterThan(0);
  }

  @Test
  void forecastsAreStoredForEveryStationAndHorizon() {
    for (Station s : stations) {
      var records = store.latestForecasts(s.id(), Variable.PM25, MODEL);
      assertThat(records).as(s.id()).hasSize(72);
      assertThat(records.get(0).horizonH()).isEqualTo(1);
      assertThat(records.get(71).validTime()).isEqualTo(Instant.parse("2016-02-08T15:00:00Z"));
    }
  }

  /**
   * The real next 72 h (2016-02-06 00:00 .. 02-08 23:00 +08, not in the store): the medians of the
   * 12 stations are not worse than persistence and the 90 % intervals cover a fair share of the 857
   * observed targets. A small field fitted for seconds on 5 days is no calibrated model: the bounds
   * are loose and the numbers are printed.
   */
  @Test
  void theIntervalsCoverTheRealNext72Hours() {
    BeijingImporter beijing = new BeijingImporter(BEIJING);
    java.util.Map<String, Double> truth = new java.util.HashMap<>();
    try (Stream<Observation> s =
        beijing.observationsByTime(
            FROM.plus(Duration.ofHours(120)), FROM.plus(Duration.ofHours(192)))) {
      s.forEach(
          o -> {
            if (o.value(Variable.PM25) != null)
              truth.put(o.stationId() + "|" + o.time(), o.value(Variable.PM25));
          });
    }
    int n = 0;
    int in90 = 0;
    double absError = 0;
    double persistenceError = 0;
    Instant newest = Instant.parse("2016-02-05T15:00:00Z");
    for (Station st : stations) {
      double last =
          store.observations(st.id(), newest, newest.plusSeconds(1)).get(0).value(Variable.PM25);
      for (var r : store.latestForecasts(st.id(), Variable.PM25, MODEL)) {
        Double y = truth.get(st.id() + "|" + r.validTime());
        if (y != null) {
          n++;
          in90 += y >= r.quantiles().q05() && y <= r.quantiles().q95() ? 1 : 0;
          absError += Math.abs(y - r.quantiles().q50());
          persistenceError += Math.abs(y - last);
        }
      }
    }
    System.out.printf(
        "next 72 h: n=%d PICP90=%.3f MAE(median)=%.1f MAE(persistence)=%.1f%n",
        n, (double) in90 / n, absError / n, persistenceError / n);
    assertThat(n).isGreaterThan(700);
    // Measured (seed 42): PICP90 0.537, MAE 73.4 vs persistence 78.4 — the days before the 2016
    // Spring Festival, whose fireworks peaks no 5-day history foresees; the intervals of this first
    // issue under-cover (a field fitted on 5 days; the served demo fits a year first).
    // PICP90 0.44-0.54 over runs; a sanity bound only (the demo's field is fitted on a year)
    assertThat((double) in90 / n).isGreaterThan(0.3);
    assertThat(absError).isLessThan(1.2 * persistenceError);
  }

  @Test
  void aPositionFarOutsideTheNetworkIs400NamingTheDistance() throws Exception {
    HttpResponse<String> paris =
        get("/collections/pm25/position?coords=" + encode("POINT(2.35 48.85)"));
    assertThat(paris.statusCode()).as(paris.body()).isEqualTo(400);
    String detail = JSON.readTree(paris.body()).get("detail").asText();
    assertThat(detail).startsWith("coords: POINT(2.35 48.85) is ").contains(" km from the nearest");
    long km =
        Long.parseLong(detail.replaceAll("^coords: POINT\\(2.35 48.85\\) is (\\d+) km.*$", "$1"));
    assertThat(km).isBetween(7500L, 8500L);
    // 100 km north of Dingling, the northern-most station
    HttpResponse<String> north =
        get("/collections/pm25/position?coords=" + encode("POINT(116.22 41.2)"));
    assertThat(north.statusCode()).as(north.body()).isEqualTo(400);
  }

  @Test
  void aWholeWorldCubeIsAnsweredOnTheServedDomainWithNoImplausibleValue() throws Exception {
    String issueTime =
        JSON.readTree(get("/collections/pm25/verification").body()).get("issueTime").asText();
    HttpResponse<String> r =
        get(
            "/collections/pm25/cube?bbox=-180,-90,180,90&resolution-x=100&resolution-y=50"
                + "&datetime="
                + issueTime);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode c = JSON.readTree(r.body());
    int nulls = 0;
    int values = 0;
    for (JsonNode range : c.get("ranges")) {
      for (JsonNode v : range.get("values")) {
        if (v.isNull()) {
          nulls++;
        } else {
          values++;
          assertThat(v.asDouble()).isBetween(0.0, 2000.0);
        }
      }
    }
    System.out.printf("whole-world cube: %d values inside the domain, %d nulls%n", values, nulls);
    // answered on the served domain's box (before: 100 × 50 centres over the world, all but a
    // handful null)
    JsonNode clipped = c.get("terrafield:clipped");
    assertThat(clipped.get("answered")).isEqualTo(clipped.get("servedDomain"));
    for (JsonNode x : c.at("/domain/axes/x/values")) {
      assertThat(x.asDouble())
          .isBetween(
              clipped.at("/servedDomain/0").asDouble(), clipped.at("/servedDomain/2").asDouble());
    }
    assertThat(values).isGreaterThan(0);
    HttpResponse<String> network =
        get(
            "/collections/pm25/cube?bbox=115.9,39.6,117.0,40.6&resolution-x=20&resolution-y=20"
                + "&datetime="
                + issueTime);
    assertThat(network.statusCode()).as(network.body()).isEqualTo(200);
    int inside = 0;
    for (JsonNode range : JSON.readTree(network.body()).get("ranges")) {
      for (JsonNode v : range.get("values")) {
        if (!v.isNull()) {
          inside++;
          assertThat(v.asDouble()).isBetween(0.0, 2000.0);
        }
      }
    }
    assertThat(inside).isGreaterThan(0);
  }

  @Test
  void theVerificationAnswerScoresWhatWasServed() throws Exception {
    HttpResponse<String> r = get("/collections/pm25/verification");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode v = JSON.readTree(r.body());
    assertThat(v.at("/status/phase").asText()).isEqualTo("serving");
    assertThat(v.at("/bands")).hasSize(7);
    assertThat(v.at("/bands/0/label").asText()).isEqualTo("1 h");
    assertThat(v.at("/domain/radiusKm").asDouble()).isBetween(10.0, 200.0);
    assertThat(v.get("modelVersion").asText()).startsWith("cglubnf-");
  }

  @Test
  void aCubeQueryAnswersAGridOfOrderedQuantilesForTheChosenHour() throws Exception {
    HttpResponse<String> r =
        get(
            "/collections/pm25/cube?bbox=116.1,39.8,116.7,40.3&resolution-x=4&resolution-y=3"
                + "&datetime=2016-02-05T18:30:00Z");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/prs.coverage+json"));
    JsonNode c = JSON.readTree(r.body());
    assertThat(c.at("/domain/domainType").asText()).isEqualTo("Grid");
    assertThat(c.at("/domain/axes/x/values").size()).isEqualTo(4);
    assertThat(c.at("/domain/axes/y/values").size()).isEqualTo(3);
    assertThat(c.at("/domain/axes/x/values/0").asDouble()).isCloseTo(116.175, within(1e-6));
    assertThat(c.at("/domain/axes/t/values/0").asText()).isEqualTo("2016-02-05T18:00:00Z");
    JsonNode q05 = c.at("/ranges/pm25_q05");
    JsonNode q50 = c.at("/ranges/pm25_q50");
    JsonNode q95 = c.at("/ranges/pm25_q95");
    assertThat(q50.get("axisNames").toString()).isEqualTo("[\"t\",\"y\",\"x\"]");
    assertThat(q50.get("shape").toString()).isEqualTo("[1,3,4]");
    for (int i = 0; i < 12; i++) {
      assertThat(q05.get("values").get(i).asDouble())
          .isLessThanOrEqualTo(q50.get("values").get(i).asDouble());
      assertThat(q50.get("values").get(i).asDouble())
          .isLessThanOrEqualTo(q95.get("values").get(i).asDouble());
      assertThat(c.at("/ranges/pm25_p_exceed/values/" + i).asDouble()).isBetween(0.0, 1.0);
    }
  }

  @Test
  void anAreaQueryMasksTheCellsOutsideThePolygon() throws Exception {
    String triangle = "POLYGON((116.2 39.8, 116.6 39.8, 116.2 40.2, 116.2 39.8))";
    HttpResponse<String> r =
        get(
            "/collections/pm25/area?coords="
                + encode(triangle)
                + "&resolution-x=5&resolution-y=5&datetime="
                + encode("2016-02-05T16:00:00Z/2016-02-05T18:00:00Z"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode c = JSON.readTree(r.body());
    assertThat(c.at("/domain/axes/t/values").size()).isEqualTo(3);
    JsonNode values = c.at("/ranges/pm25_q50/values");
    assertThat(values.size()).isEqualTo(75);
    // row y = 0 (south) is inside up to the hypotenuse, the north-east corner is outside
    assertThat(values.get(0).isNull()).isFalse();
    assertThat(values.get(24).isNull()).isTrue();
    int inside = 0;
    for (JsonNode v : values) {
      inside += v.isNull() ? 0 : 1;
    }
    assertThat(inside).isBetween(30, 45);
  }

  @Test
  void badGridQueriesAre400ProblemsNamingTheParameter() throws Exception {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("/collections/pm25/cube?bbox=116,39,115,40", "bbox: '116,39,115,40'");
    cases.put("/collections/pm25/cube?bbox=a,b", "bbox: 'a,b'");
    cases.put(
        "/collections/pm25/area?coords=" + encode("POINT(116.4 39.9)"),
        "coords: 'POINT(116.4 39.9)' is not a POLYGON");
    cases.put("/collections/pm25/area?coords=" + encode("POLYGON((1 2"), "coords: 'POLYGON((1 2'");
    cases.put(
        "/collections/pm25/area?coords="
            + encode("POLYGON((116 39, 117 40, 117 39, 116 40, 116 39))"),
        "coords: 'POLYGON((116 39, 117 40, 117 39, 116 40, 116 39))' is not a valid polygon:"
            + " Self-intersection");
    cases.put(
        "/collections/pm25/cube?bbox=116,39,117,40&resolution-x=abc",
        "resolution-x: 'abc' is not an integer");
    cases.put(
        "/collections/pm25/cube?bbox=116,39,117,40&datetime=2020-01-01T00:00:00Z",
        "datetime: no forecast hour in 2020-01-01T00:00:00Z");
    cases.put(
        "/collections/pm25/cube?bbox=116,39,117,40&datetime=yesterday", "datetime: 'yesterday'");
    cases.put(
        "/collections/pm25/cube?bbox=116,39,117,40&resolution-x=100&resolution-y=100",
        "resolution-x × resolution-y × hours: 100 × 100 × 72 values exceed 20000");
    cases.put(
        "/collections/pm25/cube?bbox=116,39,117,40&resolution-x=0", "resolution-x, resolution-y");
    for (Map.Entry<String, String> e : cases.entrySet()) {
      HttpResponse<String> r = get(e.getKey());
      assertThat(r.statusCode()).as(e.getKey() + " " + r.body()).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).get("detail").asText())
          .as(e.getKey())
          .startsWith(e.getValue());
    }
  }

  @Test
  void badCoordsAre400ProblemsNamingTheValue() throws Exception {
    for (String coords : List.of("116.4,39.9", "POINT(200 10)")) {
      HttpResponse<String> r = get("/collections/pm25/position?coords=" + encode(coords));
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.headers().firstValue("content-type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
      assertThat(JSON.readTree(r.body()).get("detail").asText())
          .startsWith("coords: '" + coords + "'");
    }
    HttpResponse<String> missing = get("/collections/pm25/position");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("coords");
    HttpResponse<String> unknown =
        get("/collections/pm99/position?coords=" + encode("POINT(116.4 39.9)"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).get("detail").asText())
        .startsWith("collection: unknown collection 'pm99'");
    HttpResponse<String> notForecast =
        get("/collections/pm10/position?coords=" + encode("POINT(116.4 39.9)"));
    assertThat(notForecast.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(notForecast.body()).get("detail").asText())
        .startsWith("collection 'pm10' offers no position query: pm10 is not forecast");
  }

  @Test
  void alertsAreServedAsGeoJson() throws Exception {
    // the job's alerts are issued at data time (2016), before the default window of 24 h
    HttpResponse<String> r = get("/alerts?since=2016-02-01T00:00:00Z");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode fc = JSON.readTree(r.body());
    assertThat(fc.get("type").asText()).isEqualTo("FeatureCollection");
    assertThat(fc.get("features").size()).isGreaterThan(0);
    for (JsonNode f : fc.get("features")) {
      assertThat(f.at("/geometry/type").asText()).isEqualTo("Point");
      assertThat(f.at("/properties/variable").asText()).isEqualTo("pm25");
      assertThat(f.at("/properties/threshold").asDouble()).isEqualTo(10);
      // episodes: raised at P >= 0.5, cleared below 0.3
      assertThat(f.at("/properties/probability").asDouble()).isBetween(0.0, 1.0);
      assertThat(Instant.parse(f.at("/properties/valid_time").asText()))
          .isAfterOrEqualTo(Instant.parse("2016-02-04T16:00:00Z"));
    }
    // Without since: the 24 h before the newest issue (data time), so a replay shows its alerts.
    JsonNode recent = JSON.readTree(get("/alerts").body());
    assertThat(recent.get("numberMatched").asInt()).isPositive();
    assertThat(Instant.parse(recent.get("since").asText()))
        .isBefore(Instant.parse("2017-01-01T00:00:00Z"));
    assertThat(get("/alerts?since=yesterday").statusCode()).isEqualTo(400);
    assertThat(get("/alerts?since=yesterday").body()).contains("since: 'yesterday'");
  }

  @Test
  void anSseClientReceivesEachNewAlertAsACloudEvent() throws Exception {
    List<String> lines = new ArrayList<>();
    String data = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (data == null && System.nanoTime() < deadline) {
      String line = sse.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        lines.add(line);
        if (line.startsWith("data:")) {
          data = line.substring(5);
        }
      }
    }
    assertThat(data).as("lines so far: %s", lines).isNotNull();
    assertThat(lines).contains("event:alert");
    JsonNode event = JSON.readTree(data);
    assertThat(event.get("specversion").asText()).isEqualTo("1.0");
    assertThat(event.get("type").asText()).isEqualTo("io.terrafield.alert.exceedance");
    assertThat(event.get("source").asText()).isEqualTo("/terrafield/alerts/pm25");
    // the job's alert episodes are per station and per grid cell
    assertThat(event.at("/data/target").asText()).isEqualTo(event.get("subject").asText());
    assertThat(event.at("/data/target_kind").asText()).isIn("station", "cell");
    if (event.at("/data/target_kind").asText().equals("station")) {
      assertThat(stations).extracting(Station::id).contains(event.get("subject").asText());
    }
    assertThat(event.at("/data/probability").asDouble()).isBetween(0.0, 1.0);
    assertThat(store.alert(event.get("id").asText())).isPresent();
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
