package io.terrafield.ingest.sensor;

import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.KafkaConnectors;
import io.terrafield.ingest.store.StoreSink;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * The sensor job: raw JSON readings → parse and validate (invalid → rejected sink) → event-time
 * watermarks → dedupe on (station, time) and hourly aggregation (duplicates and late readings →
 * rejected sink) → the store and the hourly topic.
 *
 * <p>The job takes its source and sinks in the constructor, so the same class runs against Kafka in
 * production ({@link #kafka}) and against test sources and sinks in tests. Every input record ends
 * in exactly one hourly observation's {@code sampleCount} or in exactly one rejection.
 *
 * <p>Exactly-once: the source's offsets, the validation and the keyed hour buckets are in Flink
 * checkpoints; the Kafka sinks write in transactions committed with each checkpoint (consumers read
 * {@code read_committed}); the store sink flushes on each checkpoint and writes idempotent upserts
 * keyed on (station, hour), so the records replayed after a restart from a checkpoint rewrite the
 * same rows with the same values. {@code SensorJobCrashIT} proves it with a failure mid-stream.
 */
public final class SensorJob {

  /** Checkpoint interval used when the environment does not set one. */
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

  private final Source<String, ?, ?> source;
  private final Source<StationUpdate, ?, ?> stationSource;
  private final List<Sink<Observation>> hourlySinks;
  private final Sink<Rejection> rejectedSink;
  private final Map<String, Station> stations;
  private final SensorJobOptions options;

  /** A job whose known stations are {@code stations} only (no registry source). */
  public SensorJob(
      Source<String, ?, ?> source,
      List<Sink<Observation>> hourlySinks,
      Sink<Rejection> rejectedSink,
      Collection<Station> stations,
      SensorJobOptions options) {
    this(source, null, hourlySinks, rejectedSink, stations, options);
  }

  /**
   * @param stationSource the station registry ({@code aq.stations}), read as broadcast state, or
   *     {@code null} for none
   * @param stations the stations known from the start (the registry adds to and overrides them)
   */
  public SensorJob(
      Source<String, ?, ?> source,
      Source<StationUpdate, ?, ?> stationSource,
      List<Sink<Observation>> hourlySinks,
      Sink<Rejection> rejectedSink,
      Collection<Station> stations,
      SensorJobOptions options) {
    this.source = source;
    this.stationSource = stationSource;
    this.hourlySinks = List.copyOf(hourlySinks);
    this.rejectedSink = rejectedSink;
    this.stations =
        stations.stream().collect(Collectors.toUnmodifiableMap(Station::id, Function.identity()));
    this.options = options;
  }

  /**
   * The production wiring: a KafkaSource on {@link Topics#OBSERVATIONS_RAW} (from the committed
   * group offsets, else the earliest), the station registry {@link Topics#STATIONS} (created,
   * compacted, when missing) as broadcast state, the store, and KafkaSinks on {@link
   * Topics#OBSERVATIONS_HOURLY} and {@link Topics#OBSERVATIONS_REJECTED}. With {@code bounded} the
   * source stops at the offsets that are latest when the job starts (for tests and batch
   * back-fills).
   */
  public static SensorJob kafka(
      String bootstrapServers,
      StoreSettings store,
      Collection<Station> stations,
      SensorJobOptions options,
      boolean bounded) {
    Map<String, Station> byId =
        stations.stream().collect(Collectors.toMap(Station::id, Function.identity()));
    Sink<Observation> storeSink =
        StoreSink.observations(store, List.copyOf(stations), options.clock());
    KafkaConnectors.ensureCompactedTopic(bootstrapServers, Topics.STATIONS);
    return new SensorJob(
        KafkaConnectors.textSource(
            bootstrapServers, Topics.OBSERVATIONS_RAW, "terrafield-sensor-job", bounded),
        KafkaConnectors.stationSource(
            bootstrapServers, Topics.STATIONS, "terrafield-sensor-job-stations", bounded),
        List.of(storeSink, hourlyTopicSink(bootstrapServers, byId.values())),
        rejectedTopicSink(bootstrapServers),
        stations,
        options);
  }

  /** The exactly-once sink of hourly observations on {@link Topics#OBSERVATIONS_HOURLY}. */
  public static Sink<Observation> hourlyTopicSink(
      String bootstrapServers, Collection<Station> stations) {
    Map<String, Station> byId =
        stations.stream().collect(Collectors.toMap(Station::id, Function.identity()));
    return KafkaConnectors.sink(
        bootstrapServers,
        Topics.OBSERVATIONS_HOURLY,
        new StationHourKey(),
        new HourlySerializer(byId),
        "terrafield-sensor-hourly");
  }

  /** The exactly-once sink of rejections on {@link Topics#OBSERVATIONS_REJECTED}. */
  public static Sink<Rejection> rejectedTopicSink(String bootstrapServers) {
    return KafkaConnectors.rejectionSink(
        bootstrapServers, Topics.OBSERVATIONS_REJECTED, "terrafield-sensor-rejected");
  }

  /**
   * Adds the job's operators to {@code env}. The Kafka sinks of {@link #kafka} are transactional
   * and commit on checkpoints, so checkpointing is enabled (every {@link
   * #DEFAULT_CHECKPOINT_INTERVAL}, exactly-once) when {@code env} has none.
   */
  public void build(StreamExecutionEnvironment env) {
    if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
      env.enableCheckpointing(DEFAULT_CHECKPOINT_INTERVAL.toMillis());
    }
    ReadingValidator validator =
        new ReadingValidator(
            stations, options.clock(), options.maxFutureSkew(), options.maxPayloadBytes());
    DataStream<String> raw =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "aq.observations.raw")
            .uid("raw-source");
    // Operators never hold or change their input records, so records pass between chained
    // operators without a defensive copy.
    env.getConfig().enableObjectReuse();
    DataStream<StationUpdate> registry =
        stationSource != null
            ? env.fromSource(stationSource, WatermarkStrategy.noWatermarks(), Topics.STATIONS)
                .uid("stations-source")
            // No registry: an input without records that ends when the raw source ends.
            : raw.flatMap((String s, Collector<StationUpdate> none) -> {})
                .returns(StationUpdate.class)
                .uid("no-stations")
                .name("no station registry");
    SingleOutputStreamOperator<Reading> valid =
        raw.connect(registry.broadcast(ValidateReadingFunction.STATIONS))
            .process(new ValidateReadingFunction(validator))
            .uid("validate")
            .name("parse and validate");
    long outOfOrdernessMs = options.outOfOrderness().toMillis();
    long allowedLatenessMs = options.allowedLateness().toMillis();
    long quietCloseMs = options.quietClose().toMillis();
    long idlenessMs = options.idleness().toMillis();
    Clock clock = options.clock();
    SingleOutputStreamOperator<Observation> hourly =
        valid
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<Reading>forGenerator(
                        ctx -> new EventTimeWatermarks<>(outOfOrdernessMs, idlenessMs, clock))
                    .withTimestampAssigner((r, ts) -> r.timeMs()))
            .uid("watermarks")
            .keyBy(Reading::stationId)
            .process(new HourlyAggregateFunction(allowedLatenessMs, quietCloseMs, options.clock()))
            .uid("dedupe-hourly")
            .name("dedupe and hourly aggregate");
    for (int i = 0; i < hourlySinks.size(); i++) {
      hourly.sinkTo(hourlySinks.get(i)).uid("hourly-sink-" + i);
    }
    valid
        .getSideOutput(ValidateReadingFunction.REJECTED)
        .union(hourly.getSideOutput(HourlyAggregateFunction.REJECTED))
        .sinkTo(rejectedSink)
        .uid("rejected-sink")
        .name(Topics.OBSERVATIONS_REJECTED);
  }

  /** Builds and runs the job to completion (bounded sources) in {@code env}. */
  public void execute(StreamExecutionEnvironment env) throws Exception {
    build(env);
    env.execute("terrafield-sensor-job");
  }

  /** Builds and submits the job without waiting; cancel it through the returned client. */
  public JobClient executeAsync(StreamExecutionEnvironment env) throws Exception {
    build(env);
    return env.executeAsync("terrafield-sensor-job");
  }

  static final class HourlySerializer implements SerializationSchema<Observation> {
    private final Map<String, Station> stations;

    HourlySerializer(Map<String, Station> stations) {
      this.stations = Map.copyOf(stations);
    }

    @Override
    public byte[] serialize(Observation o) {
      return ObservationJson.hourlyJsonBytes(o, stations.get(o.stationId()));
    }
  }

  /** The message key of an hourly observation: {@code station|hour}. */
  static final class StationHourKey implements SerializationSchema<Observation> {
    @Override
    public byte[] serialize(Observation o) {
      return (o.stationId() + "|" + o.time()).getBytes(StandardCharsets.UTF_8);
    }
  }
}
