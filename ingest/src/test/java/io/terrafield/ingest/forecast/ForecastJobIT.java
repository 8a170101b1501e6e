package io.terrafield.ingest.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.SpaceTimeSeries;
import io.terrafield.forecasting.Station;
import io.terrafield.forecasting.categories.CategoryScheme;
import io.terrafield.forecasting.training.FieldTraining;
import io.terrafield.forecasting.training.ModelArtifact;
import io.terrafield.forecasting.training.ModelDirectory;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.EmbeddedKafka;
import io.terrafield.ingest.kafka.KafkaConnectors;
import io.terrafield.ingest.kafka.KafkaTestClient;
import io.terrafield.store.TargetKind;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forecast job on a small synthetic network with a small field trained here: stop with a
 * savepoint and resume with another parallelism gives the same next issues as an uninterrupted run;
 * a corrupt artifact or one of another feature config is refused and the serving one stays.
 */
class ForecastJobIT {
  static final ZoneOffset ZONE = ZoneOffset.ofHours(8);
  static final Instant T0 = Instant.parse("2017-01-01T00:00:00Z");
  static final int TRAIN_HOURS = 5 * 24;
  static final FieldConfig CONFIG =
      new FieldConfig(true, true, 2, 16, 2, 3, 2, 512, 0.005, 3, 8, 42);
  static final List<Station> STATIONS =
      List.of(
          new Station("S1", 116.30, 39.90),
          new Station("S2", 116.40, 39.95),
          new Station("S3", 116.50, 39.88),
          new Station("S4", 116.35, 40.02));

  @TempDir static Path kafkaDir;
  @TempDir static Path models;
  @TempDir static Path savepoints;
  static EmbeddedKafka kafka;
  static double[][] values;
  static ModelArtifact artifact;

  @BeforeAll
  static void trainAndStartKafka() {
    values = synthetic(TRAIN_HOURS + 48, new Random(7));
    double[][] train = new double[STATIONS.size()][];
    for (int s = 0; s < train.length; s++) {
      train[s] = java.util.Arrays.copyOf(values[s], TRAIN_HOURS);
    }
    SpaceTimeSeries history =
        new SpaceTimeSeries(
            "pm25", STATIONS, LocalDateTime.ofInstant(T0, ZONE), Duration.ofHours(1), train);
    artifact =
        FieldTraining.train(
            "pm25",
            history,
            T0.plus(Duration.ofHours(TRAIN_HOURS - 1)),
            ZONE,
            CONFIG,
            new ModelDirectory(models),
            new PrintStream(OutputStream.nullOutputStream()),
            Clock.systemUTC());
    kafka = EmbeddedKafka.start(kafkaDir);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** Diurnal cycles with a shared AR(1) episode signal that crosses 75 µg/m³ now and then. */
  static double[][] synthetic(int hours, Random random) {
    double[][] v = new double[STATIONS.size()][hours];
    double common = 0;
    for (int t = 0; t < hours; t++) {
      common = 0.9 * common + 12 * random.nextGaussian();
      for (int s = 0; s < v.length; s++) {
        double diurnal = 20 * Math.sin(2 * Math.PI * (t % 24) / 24.0 + s);
        v[s][t] = Math.max(2, 60 + diurnal + common + 4 * random.nextGaussian());
      }
    }
    return v;
  }

  static List<String> messages(int fromHour, int toHour) {
    List<String> out = new ArrayList<>();
    for (int t = fromHour; t < toHour; t++) {
      for (int s = 0; s < STATIONS.size(); s++) {
        Station st = STATIONS.get(s);
        out.add(
            String.format(
                Locale.ROOT,
                "{\"station\":\"%s\",\"time\":\"%s\",\"lon\":%s,\"lat\":%s,\"pm25\":%.3f,"
                    + "\"samples\":1}",
                st.id(),
                T0.plus(Duration.ofHours(t)),
                st.lon(),
                st.lat(),
                values[s][t]));
      }
    }
    return out;
  }

  static ForecastJobOptions options(Path modelDir) {
    return new ForecastJobOptions(
        modelDir.toString(),
        List.of("pm25"),
        CONFIG,
        ZONE,
        75,
        72,
        48,
        TRAIN_HOURS + 72,
        0,
        0.05,
        CategoryScheme.US_EPA_AQI,
        0.5,
        0.3,
        0.2,
        24,
        Duration.ZERO,
        false,
        Duration.ZERO,
        Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
  }

  static ForecastJob job(String topic, String group, String sink) {
    return new ForecastJob(
        KafkaConnectors.textSource(kafka.bootstrapServers(), topic, group, false),
        List.of(new CollectingSink(sink)),
        options(models),
        null);
  }

  static void awaitIssue(String sink, Instant issueTime) throws InterruptedException {
    while (CollectingSink.results(sink).stream()
        .noneMatch(p -> p.issue().issueTime().equals(issueTime))) {
      Thread.sleep(200);
    }
  }

  static Map<Instant, PublishedIssue> byIssueTime(String sink) {
    Map<Instant, PublishedIssue> out = new TreeMap<>();
    CollectingSink.results(sink).forEach(p -> out.put(p.issue().issueTime(), p));
    return out;
  }

  @Test
  void resumesFromASavepointWithAnotherParallelismAndIssuesTheSame() throws Exception {
    String topic = Topics.OBSERVATIONS_HOURLY + ".savepoint";
    kafka.createTopics(List.of(topic), 2);
    int split = TRAIN_HOURS + 4;
    int end = TRAIN_HOURS + 8;
    KafkaTestClient.produce(kafka.bootstrapServers(), topic, messages(0, split));
    StreamExecutionEnvironment first = StreamExecutionEnvironment.createLocalEnvironment(1);
    first.enableCheckpointing(500);
    JobClient run1 = job(topic, "fj-a", "a").executeAsync(first);
    // the watermark trails the newest hour: split - 1 is complete once split's data is in
    Instant lastBeforeStop = T0.plus(Duration.ofHours(split - 1));
    awaitIssue("a", lastBeforeStop);
    String savepoint =
        run1.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
            .get();

    KafkaTestClient.produce(kafka.bootstrapServers(), topic, messages(split, end));
    Configuration restore = new Configuration();
    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    StreamExecutionEnvironment second =
        StreamExecutionEnvironment.createLocalEnvironment(2, restore);
    second.enableCheckpointing(500);
    JobClient run2 = job(topic, "fj-a", "b").executeAsync(second);
    Instant lastIssue = T0.plus(Duration.ofHours(end - 1));
    awaitIssue("b", lastIssue);
    run2.cancel().get();

    JobClient reference =
        job(topic, "fj-ref", "ref")
            .executeAsync(StreamExecutionEnvironment.createLocalEnvironment(1));
    awaitIssue("ref", lastIssue);
    reference.cancel().get();

    Map<Instant, PublishedIssue> a = byIssueTime("a");
    Map<Instant, PublishedIssue> b = byIssueTime("b");
    Map<Instant, PublishedIssue> ref = byIssueTime("ref");
    System.out.printf(
        Locale.ROOT,
        "forecast job savepoint test: before the stop %s, after the restore %s, reference %s%n",
        a.keySet(),
        b.keySet(),
        ref.keySet());
    assertThat(a.keySet()).first().isEqualTo(T0.plus(Duration.ofHours(TRAIN_HOURS)));
    assertThat(b.keySet()).first().isEqualTo(lastBeforeStop.plus(Duration.ofHours(1)));
    try (ForecastIssuer fresh = new ForecastIssuer("pm25", options(models))) {
      Instant at = T0.plus(Duration.ofHours(split));
      var f = fresh.issue(at, window(end)).orElseThrow().stations();
      System.out.printf(
          Locale.ROOT,
          "S1 lead-1 median at %s: fresh issuer %.3f, restored job %.3f, reference job %.3f,"
              + " before-stop job %s%n",
          at,
          f.targets().get(0).leads().get(0).quantiles().q50(),
          b.get(at).forecasts().get(0).quantiles().q50(),
          ref.get(at).forecasts().get(0).quantiles().q50(),
          a.containsKey(at.minus(Duration.ofHours(1)))
              ? a.get(at.minus(Duration.ofHours(1))).forecasts().get(0).quantiles().q50()
                  + " (an hour earlier; ref "
                  + ref.get(at.minus(Duration.ofHours(1))).forecasts().get(0).quantiles().q50()
                  + ")"
              : "-");
    }
    for (Map.Entry<Instant, PublishedIssue> e : b.entrySet()) {
      PublishedIssue expected = ref.get(e.getKey());
      assertThat(e.getValue().issue()).isEqualTo(expected.issue());
      assertThat(e.getValue().forecasts()).isEqualTo(expected.forecasts());
      assertThat(e.getValue().alerts()).isEqualTo(expected.alerts());
    }
    for (Map.Entry<Instant, PublishedIssue> e : a.entrySet()) {
      assertThat(e.getValue().forecasts()).isEqualTo(ref.get(e.getKey()).forecasts());
    }
    PublishedIssue one = ref.get(lastIssue);
    ref.values().stream()
        .flatMap(p -> p.alerts().stream())
        .limit(1)
        .forEach(x -> System.out.println("example alert: " + x.payload()));
    System.out.println(
        "example forecast: "
            + new String(
                ForecastEvents.serialize(
                    ForecastEvents.forecast(one.forecasts().subList(0, 2), "µg/m³")),
                java.nio.charset.StandardCharsets.UTF_8));
    assertThat(one.issue().stationCount()).isEqualTo(4);
    assertThat(one.issue().cellCount()).isPositive();
    assertThat(one.forecasts())
        .hasSize((one.issue().stationCount() + one.issue().cellCount()) * 72);
    assertThat(one.forecasts()).extracting(r -> r.targetKind()).contains(TargetKind.CELL);
    assertThat(one.forecasts()).allSatisfy(r -> assertThat(r.category()).isNotNull());
  }

  static Map<Long, Map<String, Double>> window(int hours) {
    Map<Long, Map<String, Double>> window = new TreeMap<>();
    for (int t = 0; t < hours; t++) {
      Map<String, Double> hour = new HashMap<>();
      for (int s = 0; s < STATIONS.size(); s++) {
        hour.put(STATIONS.get(s).id(), values[s][t]);
      }
      window.put(T0.plus(Duration.ofHours(t)).toEpochMilli(), hour);
    }
    return window;
  }

  @Test
  void anIssueDependsOnlyOnTheArtifactAndTheHistoryBeforeIt() {
    Map<Long, Map<String, Double>> all = window(TRAIN_HOURS + 8);
    Instant last = T0.plus(Duration.ofHours(TRAIN_HOURS + 4));
    try (ForecastIssuer sequential = new ForecastIssuer("pm25", options(models));
        ForecastIssuer fresh = new ForecastIssuer("pm25", options(models))) {
      for (int h = 0; h < 4; h++) {
        sequential.issue(T0.plus(Duration.ofHours(TRAIN_HOURS + h)), all);
      }
      var a = sequential.issue(last, all).orElseThrow();
      var b = fresh.issue(last, all).orElseThrow();
      assertThat(b.stations().targets()).isEqualTo(a.stations().targets());
      assertThat(b.cells().targets()).isEqualTo(a.cells().targets());
    }
  }

  @Test
  void aCorruptOrMismatchedArtifactIsRefusedAndTheServingOneStays() throws Exception {
    Path dir = Files.createTempDirectory(models.getParent(), "models-swap");
    Path variableDir = Files.createDirectories(dir.resolve("pm25"));
    Files.copy(artifact.field(), variableDir.resolve(artifact.field().getFileName()));
    Files.copy(
        artifact.field().resolveSibling(artifact.version() + ".json"),
        variableDir.resolve(artifact.version() + ".json"));
    ForecastIssuer issuer = new ForecastIssuer("pm25", options(dir));
    Map<Long, Map<String, Double>> window = new TreeMap<>();
    for (int t = 0; t < TRAIN_HOURS + 2; t++) {
      Map<String, Double> hour = new HashMap<>();
      for (int s = 0; s < STATIONS.size(); s++) {
        hour.put(STATIONS.get(s).id(), values[s][t]);
      }
      window.put(T0.plus(Duration.ofHours(t)).toEpochMilli(), hour);
    }
    Instant issue = T0.plus(Duration.ofHours(TRAIN_HOURS + 1));
    Optional<ForecastIssuer.Issue> before = issuer.issue(issue, window);
    assertThat(before).isPresent();
    assertThat(issuer.version()).contains(artifact.version());

    // a newer artifact whose field file is garbage
    String corrupt = "cglubnf-20170106T000000Z-corrupt";
    Files.writeString(variableDir.resolve(corrupt + ".field"), "not a field");
    Files.writeString(
        variableDir.resolve(corrupt + ".json"),
        Files.readString(variableDir.resolve(artifact.version() + ".json"))
            .replace(artifact.version(), corrupt)
            .replace(artifact.trainedThrough().toString(), "2017-01-06T00:00:00Z"));
    assertThat(issuer.issue(issue, window)).isPresent();
    assertThat(issuer.version()).contains(artifact.version());

    // a still newer one of another feature config (width 32)
    String other = "cglubnf-20170107T000000Z-other";
    Files.copy(artifact.field(), variableDir.resolve(other + ".field"));
    Files.writeString(
        variableDir.resolve(other + ".json"),
        Files.readString(variableDir.resolve(artifact.version() + ".json"))
            .replace(artifact.version(), other)
            .replace(artifact.trainedThrough().toString(), "2017-01-07T00:00:00Z")
            .replace("\"width\" : 16", "\"width\" : 32"));
    Optional<ForecastIssuer.Issue> after = issuer.issue(issue, window);
    assertThat(after).isPresent();
    assertThat(issuer.version()).contains(artifact.version());
    assertThat(after.get().stations()).isEqualTo(before.get().stations());
    issuer.close();
  }
}
