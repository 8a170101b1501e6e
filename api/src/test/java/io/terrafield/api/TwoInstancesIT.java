package io.terrafield.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.api.alerts.AlertBroadcaster;
import io.terrafield.api.alerts.AlertFeed;
import io.terrafield.api.forecasts.IssueFixture;
import io.terrafield.api.forecasts.StoredIssues;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.EmbeddedKafka;
import io.terrafield.ingest.kafka.KafkaTestClient;
import io.terrafield.store.Alert;
import io.terrafield.store.AlertState;
import io.terrafield.store.Observation;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two api instances (two Spring application contexts in this JVM) against one H2GIS file store and
 * one Kafka broker, as two replicas behind a load balancer: the stored issue gives byte-identical
 * position, cube, area, instance and verification answers on both; each instance streams every
 * alert of {@code aq.alerts} to its SSE clients exactly once (a redelivered message included), with
 * heartbeats, and replays stored alerts after {@code Last-Event-ID}; neither publishes an alert.
 */
class TwoInstancesIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant ISSUE = Instant.parse("2016-02-05T16:00:00Z");

  static EmbeddedKafka kafka;
  static ConfigurableApplicationContext first;
  static ConfigurableApplicationContext second;
  static final List<CompletableFuture<?>> streams = new ArrayList<>();

  @BeforeAll
  static void twoInstances() throws Exception {
    kafka = EmbeddedKafka.start(null);
    Path dir = Files.createTempDirectory("terrafield-two");
    String url = "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath() + ";DB_CLOSE_DELAY=-1";
    first = start(url);
    seed(first.getBean(TerrafieldStore.class));
    second = start(url);
  }

  static ConfigurableApplicationContext start(String url) {
    return SpringApplication.run(
        TerrafieldApplication.class,
        "--server.port=0",
        "--terrafield.streaming.enabled=false",
        "--terrafield.data=" + Path.of("../demo-data").toAbsolutePath(),
        "--terrafield.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
        "--terrafield.store.url=" + url,
        "--terrafield.forecast.interval=1h",
        "--terrafield.alerts.heartbeat=300ms");
  }

  /** Stations, one issue (72 h), observations of its first 24 h, three stored alerts. */
  static void seed(TerrafieldStore store) {
    store.upsertStations(List.of(IssueFixture.DONGSI, IssueFixture.HUAIROU));
    store.putIssue(IssueFixture.issue(ISSUE, 72), IssueFixture.forecasts(ISSUE, 72));
    List<Observation> observations = new ArrayList<>();
    for (int h = -1; h < 24; h++) {
      for (var s : List.of(IssueFixture.DONGSI, IssueFixture.HUAIROU)) {
        double y = IssueFixture.median(s.lon(), s.lat(), h + 1) + (h % 3 - 1) * 15;
        observations.add(observation(s.id(), ISSUE.plus(Duration.ofHours(h)), y));
      }
    }
    store.upsertObservations(observations);
    store.upsertAlerts(
        List.of(
            alert("stored-1", AlertState.RAISED, 0),
            alert("stored-2", AlertState.UPDATED, 1),
            alert("stored-3", AlertState.CLEARED, 2)));
  }

  static Observation observation(String station, Instant t, double pm25) {
    return new Observation(station, t, Map.of(Variable.PM25, pm25), null, 1);
  }

  static Alert alert(String id, AlertState state, int hour) {
    Instant issued = ISSUE.plus(Duration.ofHours(hour));
    return new Alert(
        id,
        "episode-1",
        state,
        "Dongsi",
        Variable.PM25,
        issued.plus(Duration.ofHours(3)),
        75,
        0.6,
        issued,
        null,
        null,
        event(id));
  }

  static String event(String id) {
    return "{\"specversion\":\"1.0\",\"id\":\""
        + id
        + "\",\"source\":\"/terrafield/forecasts/pm25\",\"type\":\"io.terrafield.alert\","
        + "\"subject\":\"Dongsi\",\"datacontenttype\":\"application/json\","
        + "\"data\":{\"station\":\"Dongsi\",\"variable\":\"pm25\"}}";
  }

  @AfterAll
  static void close() {
    streams.forEach(s -> s.cancel(true));
    if (first != null) {
      first.close();
    }
    if (second != null) {
      second.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void bothInstancesGiveByteIdenticalAnswers() throws Exception {
    String point = URLEncoder.encode("POINT(116.5 40.1)", StandardCharsets.UTF_8);
    String polygon =
        URLEncoder.encode(
            "POLYGON((116.1 39.8, 116.6 39.8, 116.2 40.2, 116.1 39.8))", StandardCharsets.UTF_8);
    String instance = "/collections/pm25/instances/" + StoredIssues.instanceId(ISSUE);
    List<String> paths =
        List.of(
            "/collections/pm25/position?coords=" + point,
            "/collections/pm25/position?coords="
                + point
                + "&f=CSV&datetime=2016-02-06T00:00:00Z/..",
            "/collections/pm25/cube?bbox=116.1,39.8,116.7,40.3&resolution-x=10&resolution-y=10",
            "/collections/pm25/area?coords=" + polygon + "&datetime=2016-02-05T18:00:00Z",
            instance + "/position?coords=" + point,
            "/collections/pm25/verification");
    // each instance serves the newest issue once its refresher has read it: wait until both serve
    // the stored one (until then their newest-issue answers may differ)
    for (ConfigurableApplicationContext app : List.of(first, second)) {
      StoredIssues issues = app.getBean(StoredIssues.class);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> issues.servedIssueTime(Variable.PM25).equals(Optional.of(ISSUE)));
    }
    for (String path : paths) {
      HttpResponse<String> a = get(first, path, null);
      HttpResponse<String> b = get(second, path, null);
      assertThat(a.statusCode()).as(path + " " + a.body()).isEqualTo(200);
      assertThat(b.body()).as(path).isEqualTo(a.body());
    }
    printLatency("position", paths.get(0));
    printLatency("cube 10 × 10 × 72", paths.get(2));
    JsonNode verification = JSON.readTree(get(first, paths.get(5), null).body());
    assertThat(verification.at("/bands/0/n").asLong()).isEqualTo(2);
    assertThat(verification.at("/bands/4/n").asLong()).as("13-24 h").isEqualTo(2 * 12);
    assertThat(verification.at("/alerts/episodes").asInt()).isEqualTo(1);
  }

  @Test
  void eachInstanceStreamsEveryAlertOnceWithHeartbeatsAndPublishesNone() throws Exception {
    BlockingQueue<String> a = stream(first, null);
    BlockingQueue<String> b = stream(second, null);
    for (ConfigurableApplicationContext app : List.of(first, second)) {
      assertThat(app.getBean(AlertFeed.class).awaitAssigned(Duration.ofSeconds(30))).isTrue();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> app.getBean(AlertBroadcaster.class).subscribers() >= 1);
    }
    List<String> sent = List.of(event("live-1"), event("live-2"), event("live-1"));
    KafkaTestClient.produce(kafka.bootstrapServers(), Topics.ALERTS, sent);

    for (BlockingQueue<String> lines : List.of(a, b)) {
      List<String> seen = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                lines.drainTo(seen);
                return seen.contains("id:live-2") && seen.contains(":heartbeat");
              });
      Thread.sleep(500); // a duplicate would arrive right behind
      lines.drainTo(seen);
      assertThat(seen.stream().filter(l -> l.startsWith("id:")))
          .containsExactly("id:live-1", "id:live-2");
      assertThat(seen).contains("event:alert", "data:" + event("live-2"));
    }
    assertThat(KafkaTestClient.consumeJson(kafka.bootstrapServers(), Topics.ALERTS))
        .as("only the test's own messages: the api instances publish no alert")
        .hasSize(sent.size());
  }

  @Test
  void aReconnectingClientGetsTheStoredAlertsAfterItsLastEventIdFirst() throws Exception {
    BlockingQueue<String> lines = stream(second, "stored-1");
    List<String> seen = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              lines.drainTo(seen);
              return seen.contains("id:stored-3");
            });
    assertThat(seen.stream().filter(l -> l.startsWith("id:")).limit(2))
        .containsExactly("id:stored-2", "id:stored-3");

    BlockingQueue<String> unknown = stream(first, "no-such-alert");
    List<String> notes = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              unknown.drainTo(notes);
              return notes.stream().anyMatch(l -> l.contains("no-such-alert"));
            });
    assertThat(notes).contains(":Last-Event-ID 'no-such-alert' is not a stored alert: no replay");
  }

  /** Sequential latency of one query on a warm instance, printed (no assertion: not a test). */
  static void printLatency(String name, String path) throws Exception {
    long[] nanos = new long[40];
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      get(first, path, null);
      nanos[i] = System.nanoTime() - start;
    }
    java.util.Arrays.sort(nanos);
    System.out.printf(
        "%s from the stored issue: median %.1f ms, max %.1f ms over %d sequential requests%n",
        name, nanos[nanos.length / 2] / 1e6, nanos[nanos.length - 1] / 1e6, nanos.length);
  }

  static BlockingQueue<String> stream(ConfigurableApplicationContext app, String lastEventId) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base(app) + "/alerts/stream"))
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    streams.add(
        HttpClient.newHttpClient()
            .sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
            .thenAccept(r -> r.body().forEach(lines::add)));
    return lines;
  }

  static String base(ConfigurableApplicationContext app) {
    return "http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  static HttpResponse<String> get(ConfigurableApplicationContext app, String path, String accept)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base(app) + path));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
