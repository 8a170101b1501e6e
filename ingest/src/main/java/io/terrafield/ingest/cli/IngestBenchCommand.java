package io.terrafield.ingest.cli;

import io.terrafield.ingest.FlinkSettings;
import io.terrafield.ingest.ScratchDirectories;
import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.EmbeddedKafka;
import io.terrafield.ingest.sensor.ObservationJson;
import io.terrafield.ingest.sensor.ReadingValidator;
import io.terrafield.ingest.sensor.SensorJob;
import io.terrafield.ingest.sensor.SensorJobOptions;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.importers.BeijingImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code terrafield ingest bench}: the sensor job end to end (Kafka → validate → dedupe → hourly →
 * store + exactly-once hourly topic) against a raw Kafka produce → consume of the same messages on
 * the same in-process broker, for H2GIS and PostGIS. Prints a table.
 *
 * <p>Per store: a fresh broker; (1) raw: one producer sends every reading to a scratch topic while
 * one consumer reads them; rate = messages / (last consumed − first sent). (2) sensor job: the job
 * (a local MiniCluster) is started, the same readings are produced at full speed, and a {@code
 * read_committed} consumer of {@code aq.observations.hourly} waits for every station-hour; rate =
 * readings / (the later of the last hourly record and the store holding every hour − first send).
 * Latency: for each hourly record, the time from sending the newest reading of its hour to
 * receiving the committed record; it includes the checkpoint interval (transactions commit on
 * checkpoints), and the last hours include the quiet close.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Sensor-job readings/s end to end vs a raw Kafka produce->consume, p50/p99 latency from a"
            + " reading's arrival to its hourly record, for H2GIS and PostGIS.")
public final class IngestBenchCommand implements Callable<Integer> {

  /** A run that stops producing hourly records for this long has lost something: it fails. */
  private static final long STALL_NANOS = 60_000_000_000L;

  @Option(
      names = "--data",
      description = "Folder with PRSA_Data_*.csv (default: $TERRAFIELD_DATA/airquality/beijing).")
  Path data;

  @Option(names = "--readings", description = "Use the first N readings (default: all).")
  int readings = Integer.MAX_VALUE;

  @Option(
      names = "--stores",
      split = ",",
      defaultValue = "h2gis,postgis",
      description = "Stores to run (h2gis, postgis; default: ${DEFAULT-VALUE}).")
  List<String> stores;

  @Option(names = "--parallelism", defaultValue = "2", description = "Flink parallelism.")
  int parallelism;

  @Option(
      names = "--checkpoint-interval",
      defaultValue = "PT1S",
      description = "Checkpoint interval (ISO-8601; default: ${DEFAULT-VALUE}).")
  Duration checkpointInterval;

  @Option(
      names = "--postgis-url",
      defaultValue = "jdbc:postgresql://localhost:5432/terrafield",
      description = "PostGIS JDBC URL (a scratch schema is created and dropped).")
  String postgisUrl;

  @Option(names = "--postgis-user", defaultValue = "terrafield")
  String postgisUser;

  @Option(names = "--postgis-password", defaultValue = "terrafield")
  String postgisPassword;

  record Row(
      String store,
      int readings,
      long hours,
      double rawPerSecond,
      double jobPerSecond,
      double p50Ms,
      double p99Ms,
      String load) {}

  @Override
  public Integer call() throws Exception {
    Path dir = data != null ? data : defaultData();
    BeijingImporter beijing = new BeijingImporter(dir);
    List<Station> stations = beijing.stations();
    Map<String, Station> byId =
        stations.stream().collect(Collectors.toMap(Station::id, Function.identity()));
    ReadingValidator validator =
        new ReadingValidator(
            byId,
            Clock.systemUTC(),
            Duration.ofHours(1),
            ReadingValidator.DEFAULT_MAX_PAYLOAD_BYTES);
    List<ProducerRecord<String, String>> messages = new ArrayList<>();
    Map<String, Integer> hourOfMessage = new HashMap<>();
    List<String> hourKeys = new ArrayList<>();
    try (Stream<Observation> s = beijing.observationsByTime(Instant.MIN, Instant.MAX)) {
      for (Observation o : (Iterable<Observation>) s.limit(readings)::iterator) {
        String json =
            ObservationJson.readingJson(o, byId.get(o.stationId()), BeijingImporter.LOCAL_OFFSET);
        messages.add(new ProducerRecord<>(Topics.OBSERVATIONS_RAW, o.stationId(), json));
        if (validator.validate(json).observation() != null) {
          String key = o.stationId() + "|" + o.time();
          hourOfMessage.put(key, messages.size() - 1);
          hourKeys.add(key);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "ingest bench: %,d readings of %s (%,d station-hours with a valid value), parallelism %d,"
            + " checkpoints every %d ms%n",
        messages.size(),
        dir,
        hourKeys.size(),
        parallelism,
        checkpointInterval.toMillis());
    List<Row> rows = new ArrayList<>();
    for (String store : stores) {
      rows.add(run(store.trim().toLowerCase(Locale.ROOT), stations, messages, hourOfMessage));
    }
    System.out.println();
    System.out.println(
        "| store | readings | raw Kafka produce->consume msg/s | sensor job readings/s | ratio |"
            + " latency p50 ms | latency p99 ms | load avg (1/5/15 min) after |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---|");
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %,d | %,.0f | %,.0f | %.3f | %.0f | %.0f | %s |%n",
          r.store(),
          r.readings(),
          r.rawPerSecond(),
          r.jobPerSecond(),
          r.jobPerSecond() / r.rawPerSecond(),
          r.p50Ms(),
          r.p99Ms(),
          r.load());
    }
    return 0;
  }

  private Row run(
      String store,
      List<Station> stations,
      List<ProducerRecord<String, String>> messages,
      Map<String, Integer> hourOfMessage)
      throws Exception {
    String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    StoreSettings settings =
        switch (store) {
          case "h2gis" ->
              new StoreSettings("jdbc:h2:mem:bench-" + schema + ";DB_CLOSE_DELAY=-1", "", "");
          case "postgis" -> {
            sql(postgisUrl, "CREATE SCHEMA " + schema); // dropped in finally; the store migrates it
            yield new StoreSettings(
                postgisUrl
                    + (postgisUrl.contains("?") ? "&" : "?")
                    + "currentSchema="
                    + schema
                    + ",public",
                postgisUser,
                postgisPassword);
          }
          default ->
              throw new IllegalArgumentException(
                  "--stores: '" + store + "' is not h2gis or postgis");
        };
    try (ScratchDirectories scratch = new ScratchDirectories();
        EmbeddedKafka kafka = EmbeddedKafka.start(scratch.create("terrafield-bench-kafka"));
        TerrafieldStore db = settings.open()) {
      kafka.createTopics(
          List.of(
              Topics.OBSERVATIONS_RAW,
              Topics.OBSERVATIONS_HOURLY,
              Topics.OBSERVATIONS_REJECTED,
              "bench.raw"),
          parallelism);
      System.out.printf(Locale.ROOT, "%s: raw Kafka produce -> consume ...%n", store);
      double raw = rawRate(kafka.bootstrapServers(), messages);
      System.out.printf(Locale.ROOT, "%s: sensor job ...%n", store);
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(
              parallelism, FlinkSettings.withFileCheckpoints(new Configuration(), scratch));
      env.enableCheckpointing(checkpointInterval.toMillis());
      SensorJobOptions options =
          SensorJobOptions.defaults(Clock.systemUTC()).withQuietClose(Duration.ofSeconds(2));
      JobClient job =
          SensorJob.kafka(kafka.bootstrapServers(), settings, stations, options, false)
              .executeAsync(env);
      try {
        long[] sentAt = new long[messages.size()];
        long start = System.nanoTime();
        Thread producer =
            new Thread(() -> produce(kafka.bootstrapServers(), messages, sentAt), "bench-producer");
        producer.start();
        double[] latencies = new double[hourOfMessage.size()];
        long hourlyDone = consumeHours(kafka.bootstrapServers(), hourOfMessage, sentAt, latencies);
        producer.join();
        while (db.countObservations() < hourOfMessage.size()) {
          Thread.sleep(20); // the store sink flushes at the latest on the next checkpoint
        }
        long end = Math.max(hourlyDone, System.nanoTime());
        Arrays.sort(latencies);
        return new Row(
            store,
            messages.size(),
            hourOfMessage.size(),
            raw,
            messages.size() / ((end - start) / 1e9),
            percentile(latencies, 0.50),
            percentile(latencies, 0.99),
            loadAverage());
      } finally {
        job.cancel().get();
      }
    } finally {
      if (store.equals("postgis")) {
        sql(postgisUrl, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  private void sql(String url, String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(url, postgisUser, postgisPassword);
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static Properties producerProperties(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    return p;
  }

  private static KafkaConsumer<String, String> consumer(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  /** Messages/s of one producer and one consumer moving {@code messages} through a topic. */
  private static double rawRate(String bootstrap, List<ProducerRecord<String, String>> messages)
      throws Exception {
    long[] sentAt = new long[messages.size()];
    List<ProducerRecord<String, String>> copies = new ArrayList<>(messages.size());
    for (var m : messages) {
      copies.add(new ProducerRecord<>("bench.raw", m.key(), m.value()));
    }
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
      consumer.subscribe(List.of("bench.raw"));
      consumer.poll(Duration.ofMillis(100));
      long start = System.nanoTime();
      Thread producer = new Thread(() -> produce(bootstrap, copies, sentAt), "bench-raw-producer");
      producer.start();
      long seen = 0;
      while (seen < messages.size()) {
        seen += consumer.poll(Duration.ofMillis(100)).count();
      }
      long end = System.nanoTime();
      producer.join();
      return messages.size() / ((end - start) / 1e9);
    }
  }

  private static void produce(
      String bootstrap, List<ProducerRecord<String, String>> messages, long[] sentAt) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerProperties(bootstrap))) {
      for (int i = 0; i < messages.size(); i++) {
        sentAt[i] = System.nanoTime();
        producer.send(messages.get(i));
      }
      producer.flush();
    }
  }

  /** Reads committed hourly records until every station-hour arrived; returns that time. */
  private static long consumeHours(
      String bootstrap, Map<String, Integer> hourOfMessage, long[] sentAt, double[] latencies) {
    Map<String, Boolean> seen = new ConcurrentHashMap<>();
    int n = 0;
    long lastNew = System.nanoTime();
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
      consumer.subscribe(List.of(Topics.OBSERVATIONS_HOURLY));
      while (seen.size() < hourOfMessage.size()) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
          long now = System.nanoTime();
          Integer message = hourOfMessage.get(r.key());
          if (message != null && seen.putIfAbsent(r.key(), Boolean.TRUE) == null) {
            latencies[n++] = (now - sentAt[message]) / 1e6;
            lastNew = now;
          }
        }
        if (System.nanoTime() - lastNew > STALL_NANOS) {
          throw new IllegalStateException(
              "aq.observations.hourly: "
                  + seen.size()
                  + " of "
                  + hourOfMessage.size()
                  + " station-hours arrived, then none for 60 s");
        }
      }
    }
    return System.nanoTime();
  }

  /** The machine's load averages (Linux {@code /proc/loadavg}), or "?" elsewhere. */
  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " / " + parts[1] + " / " + parts[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "?";
    }
  }

  private static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
  }

  private static Path defaultData() {
    String env = System.getenv("TERRAFIELD_DATA");
    String prop = System.getProperty("terrafield.data");
    Path root = Path.of(prop != null ? prop : env != null ? env : "../shared/data");
    return root.resolve("airquality").resolve("beijing");
  }
}
