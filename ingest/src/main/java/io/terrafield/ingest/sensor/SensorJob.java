package io.terrafield.ingest.sensor;

import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.KafkaConnectors;
import io.terrafield.ingest.store.StoreSink;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import java.nio.charset.StandardCharsets;
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

/**
 * The sensor job: raw JSON readings → parse and validate (invalid → rejected sink) → event-time
 * watermarks → dedupe on (station, time) and hourly aggregation (duplicates and late readings →
 * rejected sink) → the store and the hourly topic.
 *
 * <p>The job takes its source and sinks in the constructor, so the same class runs against Kafka in
 * production ({@link #kafka}) and against test sources and sinks in tests. Every input record ends
 * in exactly one hourly observation's {@code sampleCount} or in exactly one rejection.
 */
public final class SensorJob {

  private final Source<String, ?, ?> source;
  private final List<Sink<Observation>> hourlySinks;
  private final Sink<Rejection> rejectedSink;
  private final Map<String, Station> stations;
  private final SensorJobOptions options;

  public SensorJob(
      Source<String, ?, ?> source,
      List<Sink<Observation>> hourlySinks,
      Sink<Rejection> rejectedSink,
      Collection<Station> stations,
      SensorJobOptions options) {
    this.source = source;
    this.hourlySinks = List.copyOf(hourlySinks);
    this.rejectedSink = rejectedSink;
    this.stations =
        stations.stream().collect(Collectors.toUnmodifiableMap(Station::id, Function.identity()));
    this.options = options;
  }

  /**
   * The production wiring: a KafkaSource on {@link Topics#OBSERVATIONS_RAW} (from the committed
   * group offsets, else the earliest), the store, and KafkaSinks on {@link
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
    Sink<Observation> hourlyTopic =
        KafkaConnectors.sink(
            bootstrapServers,
            Topics.OBSERVATIONS_HOURLY,
            new StationHourKey(),
            new HourlySerializer(byId));
    return new SensorJob(
        KafkaConnectors.textSource(
            bootstrapServers, Topics.OBSERVATIONS_RAW, "terrafield-sensor-job", bounded),
        List.of(storeSink, hourlyTopic),
        KafkaConnectors.rejectionSink(bootstrapServers, Topics.OBSERVATIONS_REJECTED),
        stations,
        options);
  }

  /** Adds the job's operators to {@code env}. */
  public void build(StreamExecutionEnvironment env) {
    ReadingValidator validator =
        new ReadingValidator(
            stations, options.clock(), options.maxFutureSkew(), options.maxPayloadBytes());
    DataStream<String> raw =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "aq.observations.raw")
            .uid("raw-source");
    SingleOutputStreamOperator<Observation> valid =
        raw.process(new ValidateReadingFunction(validator))
            .uid("validate")
            .name("parse and validate");
    long outOfOrdernessMs = options.outOfOrderness().toMillis();
    SingleOutputStreamOperator<Observation> hourly =
        valid
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<Observation>forGenerator(
                        ctx -> new EventTimeWatermarks<>(outOfOrdernessMs))
                    .withTimestampAssigner((o, ts) -> o.time().toEpochMilli())
                    .withIdleness(options.idleness()))
            .uid("watermarks")
            .keyBy(Observation::stationId)
            .process(
                new HourlyAggregateFunction(options.allowedLateness().toMillis(), options.clock()))
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
      return ObservationJson.hourlyJson(o, stations.get(o.stationId()))
          .getBytes(StandardCharsets.UTF_8);
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
