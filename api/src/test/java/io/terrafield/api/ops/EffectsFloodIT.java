package io.terrafield.api.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.api.TerrafieldApplication;
import io.terrafield.api.runtime.StreamingRuntime;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.KafkaTestClient;
import io.terrafield.ingest.sensor.ObservationJson;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.importers.BeijingImporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue #13, Done-when: while clients flood {@code POST /effects} beyond the bounded worker pool,
 * the sensor job keeps ingesting. The embedded runtime (in-process Kafka, the sensor job on a Flink
 * MiniCluster, H2GIS, the web server) ingests a warm-up day of the real Beijing readings, one day
 * alone, then another day while six clients post effect requests as fast as they can. Asserts
 * counts and bounds, never timings: every reading of the flooded day is stored, the overflow is
 * refused with 503 or 429 (never a 500), every accepted effect is stored, and the pool never ran
 * more than its workers or held more than its capacity. Prints the two ingestion rates for the
 * note. Then checks that {@code /actuator/prometheus} names the operations metrics, the sensor
 * job's Flink counters with their exact values included.
 */
class EffectsFloodIT {

  static final Path DATA = Path.of("../demo-data");
  static final Instant QUIET_DAY = Instant.parse("2016-01-31T16:00:00Z"); // 2016-02-01 00:00 +08
  static final Instant WARM_UP_DAY = QUIET_DAY.minus(Duration.ofDays(2));
  static final Instant FLOOD_DAY = QUIET_DAY.plus(Duration.ofDays(2));
  static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
  static final String KEY = "flood-test-key-0123";
  static final int WORKERS = 1;
  static final int CAPACITY = 3;
  static final int CLIENTS = 6;
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theSensorJobStoresEveryReadingWhileEffectsAreFlooded() throws Exception {
    BeijingImporter beijing = new BeijingImporter(DATA.resolve("airquality/beijing"));
    List<Station> stations = beijing.stations();
    Map<String, Station> byId =
        stations.stream().collect(Collectors.toMap(Station::id, Function.identity()));
    Day warmUp = readings(beijing, byId, WARM_UP_DAY);
    Day quiet = readings(beijing, byId, QUIET_DAY);
    Day flooded = readings(beijing, byId, FLOOD_DAY);
    ConfigurableApplicationContext app =
        SpringApplication.run(
            TerrafieldApplication.class,
            "--server.port=0",
            "--terrafield.mode=embedded",
            "--terrafield.data=" + DATA.toAbsolutePath(),
            "--terrafield.store.url=jdbc:h2:mem:flood-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
            "--terrafield.replay.enabled=false",
            "--terrafield.forecast.enabled=false",
            "--terrafield.kafka.partitions=1",
            "--terrafield.flink.parallelism=1",
            "--terrafield.flink.checkpoint-interval=1s",
            "--terrafield.effects.workers=" + WORKERS,
            "--terrafield.effects.capacity=" + CAPACITY,
            "--terrafield.metrics.store-refresh=1s",
            "--terrafield.security.clients.flood.key=" + KEY,
            "--terrafield.security.clients.flood.roles=write");
    try {
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      String kafka = app.getBean(StreamingRuntime.class).bootstrapServers();
      TerrafieldStore store = app.getBean(TerrafieldStore.class);

      ingest(kafka, store, stations, warmUp); // the job's first batch pays its start-up
      double quietRate = ingest(kafka, store, stations, quiet);

      Flood flood = new Flood(port, effectRequest());
      flood.start();
      double floodRate;
      try {
        await().atMost(Duration.ofMinutes(2)).until(() -> flood.responses() >= 20);
        floodRate = ingest(kafka, store, stations, flooded);
      } finally {
        flood.stop();
      }
      System.out.printf(
          "EffectsFloodIT: sensor job %.1f readings/s alone, %.1f readings/s while %d clients"
              + " flooded POST /effects (%s); load average %s%n",
          quietRate, floodRate, CLIENTS, flood.statuses, loadAverage());

      assertThat(stored(store, stations, FLOOD_DAY)).isEqualTo(flooded.inDay());
      assertThat(flood.statuses).containsKey(202);
      assertThat(
              flood.statuses.getOrDefault(503, new AtomicLong()).get()
                  + flood.statuses.getOrDefault(429, new AtomicLong()).get())
          .as("overflow refused with 503 or 429: %s", flood.statuses)
          .isPositive();
      assertThat(flood.statuses.keySet()).as("statuses").isSubsetOf(202, 503, 429);
      assertThat(store.effects(10_000)).hasSize((int) flood.statuses.get(202).get());
      ThreadPoolExecutor pool = app.getBean("effectWorkers", ThreadPoolExecutor.class);
      assertThat(pool.getLargestPoolSize()).isLessThanOrEqualTo(WORKERS);

      String metrics = get(port, "/actuator/prometheus").body();
      assertThat(value(metrics, "terrafield_effects_in_flight_peak", ""))
          .isBetween(1.0, (double) CAPACITY);
      // The readings of the three days and their ticks; the duplicate and the late one are valid.
      long accepted = warmUp.inDay() + quiet.inDay() + flooded.inDay() + 3;
      assertThat(value(metrics, "terrafield_flink_readings_accepted_total", ""))
          .isEqualTo(accepted);
      assertThat(value(metrics, "terrafield_flink_readings_valid_total", ""))
          .isEqualTo(accepted + 2);
      assertThat(value(metrics, "terrafield_flink_readings_late_total", "")).isEqualTo(1.0);
      assertThat(value(metrics, "terrafield_flink_readings_rejected_total", "reason=\"late\""))
          .isEqualTo(1.0);
      assertThat(value(metrics, "terrafield_flink_readings_rejected_total", "reason=\"duplicate\""))
          .isEqualTo(1.0);
      assertThat(value(metrics, "terrafield_flink_readings_rejected_total", "reason=\"station\""))
          .isEqualTo(1.0);
      assertThat(metrics)
          .contains(
              "http_server_requests_seconds_bucket{",
              "terrafield_forecast_issue_lag_seconds{variable=\"pm25\"}",
              "terrafield_forecast_issue_data_lag_hours{variable=\"pm25\"}",
              "terrafield_forecast_served_picp90{",
              "terrafield_alerts_raised_total ",
              "terrafield_effects_in_flight ",
              "executor_active_threads{name=\"effects\"}",
              "executor_queued_tasks{name=\"effects\"}");
    } finally {
      app.close();
    }
  }

  /** The messages of one day, and how many of them are stored as hours of that day. */
  record Day(Instant from, List<String> messages, long inDay) {}

  /**
   * The day's measured readings, then a tick two hours after the day that moves the watermark past
   * it; for the flooded day also a duplicate, a late reading (an hour of the quiet day) and one
   * from an unknown station.
   */
  static Day readings(BeijingImporter beijing, Map<String, Station> byId, Instant from)
      throws Exception {
    List<String> messages = new ArrayList<>();
    try (Stream<Observation> s = beijing.observationsByTime(from, from.plus(Duration.ofDays(1)))) {
      s.filter(o -> !o.values().isEmpty())
          .forEach(
              o -> messages.add(ObservationJson.readingJson(o, byId.get(o.stationId()), BEIJING)));
    }
    long inDay = messages.size();
    if (from.equals(FLOOD_DAY)) {
      messages.add(1, messages.get(0)); // right away: later its hour would have closed
      messages.add("{\"station\":\"Dongsi\",\"time\":\"2016-02-01T03:00:00+08:00\",\"pm25\":12}");
      messages.add("{\"station\":\"Atlantis\",\"time\":\"2016-02-03T03:00:00+08:00\",\"pm25\":12}");
    }
    messages.add(
        "{\"station\":\"Dongsi\",\"time\":\""
            + from.plus(Duration.ofHours(26)).atOffset(BEIJING)
            + "\",\"pm25\":12}");
    return new Day(from, messages, inDay);
  }

  /** Sends the day's messages and waits until its hours are stored; messages per second. */
  static double ingest(String kafka, TerrafieldStore store, List<Station> stations, Day day) {
    long start = System.nanoTime();
    KafkaTestClient.produce(kafka, Topics.OBSERVATIONS_RAW, day.messages());
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> stored(store, stations, day.from()) >= day.inDay());
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(stored(store, stations, day.from())).isEqualTo(day.inDay());
    return day.messages().size() / seconds;
  }

  static long stored(TerrafieldStore store, List<Station> stations, Instant day) {
    long n = 0;
    for (Station s : stations) {
      n += store.countObservations(s.id(), day, day.plus(Duration.ofDays(1)));
    }
    return n;
  }

  /** An AIPW request on 2,000 confounded units (about 120 kB), as a real client would send. */
  static String effectRequest() throws Exception {
    Random rnd = new Random(7);
    List<Map<String, Object>> units = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      double c = rnd.nextGaussian();
      int a = rnd.nextDouble() < 1 / (1 + Math.exp(-c)) ? 1 : 0;
      units.add(Map.of("a", a, "y", 2 * a + c + rnd.nextGaussian(), "c", c));
    }
    return JSON.writeValueAsString(
        Map.of(
            "units", units,
            "treatment", "a",
            "outcome", "y",
            "covariates", List.of("c"),
            "estimator", "aipw"));
  }

  /** {@link #CLIENTS} threads posting the request back to back, counting the statuses. */
  static final class Flood {
    final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
    private final HttpClient client = HttpClient.newHttpClient();
    private final HttpRequest request;

    Flood(int port, String body) {
      request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/effects"))
              .header("Content-Type", "application/json")
              .header("X-API-Key", KEY)
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
    }

    void start() {
      for (int i = 0; i < CLIENTS; i++) {
        threads.execute(
            () -> {
              while (running.get()) {
                try {
                  int status =
                      client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                  statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                } catch (Exception e) {
                  statuses.computeIfAbsent(-1, s -> new AtomicLong()).incrementAndGet();
                }
              }
            });
      }
    }

    long responses() {
      return statuses.values().stream().mapToLong(AtomicLong::get).sum();
    }

    void stop() throws InterruptedException {
      running.set(false);
      threads.shutdown();
      threads.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  /** The sum of the samples of {@code name} whose labels contain {@code label}. */
  static double value(String prometheus, String name, String label) {
    return prometheus
        .lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  static String loadAverage() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
