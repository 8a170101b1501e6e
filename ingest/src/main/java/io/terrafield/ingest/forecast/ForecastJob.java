package io.terrafield.ingest.forecast;

import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.KafkaConnectors;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The forecast job (ARCHITECTURE data flow 4): hourly observations ({@code aq.observations.hourly},
 * read committed; event-time watermarks per partition, from the messages' {@code time}) →
 * per-variable values → keyed by variable, an issue for leads 1..72 h at the stations and grid
 * cells of the forecast domain as each hour completes ({@link IssueForecastFunction}), with alert
 * episodes → the sinks (store, {@code aq.forecasts}, {@code aq.alerts}).
 *
 * <p>The job takes its source and sinks in the constructor (like {@code SensorJob}), so the same
 * class runs against Kafka in production ({@link #kafka}) and against test sources and sinks in
 * tests. The model comes from the versioned artifacts of {@code options.modelDir()}; the job never
 * fits (training: {@code terrafield forecast train}). State (history window, last issue, alert
 * episodes) is keyed by variable, so a restore with another parallelism redistributes it.
 */
public final class ForecastJob {

  /** Checkpoint interval used when the environment does not set one. */
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

  private final Source<String, ?, ?> source;
  private final List<Sink<PublishedIssue>> sinks;
  private final ForecastJobOptions options;
  private final WindowBootstrap bootstrap;

  /**
   * @param source hourly observation messages (JSON as on {@code aq.observations.hourly})
   * @param sinks where the published issues go
   * @param bootstrap fills an empty history window (null: start empty)
   */
  public ForecastJob(
      Source<String, ?, ?> source,
      List<Sink<PublishedIssue>> sinks,
      ForecastJobOptions options,
      WindowBootstrap bootstrap) {
    this.source = source;
    this.sinks = List.copyOf(sinks);
    this.options = options;
    this.bootstrap = bootstrap;
  }

  /**
   * The production wiring: a KafkaSource on {@link Topics#OBSERVATIONS_HOURLY} (read committed,
   * from the committed group offsets, else the earliest), the store (also the window bootstrap),
   * and Kafka {@link Topics#FORECASTS} and {@link Topics#ALERTS}.
   */
  public static ForecastJob kafka(
      String bootstrapServers, StoreSettings store, ForecastJobOptions options, boolean bounded) {
    return new ForecastJob(
        KafkaConnectors.textSource(
            bootstrapServers, Topics.OBSERVATIONS_HOURLY, "terrafield-forecast-job", bounded),
        List.of(new ForecastStoreSink(store), new ForecastKafkaSink(bootstrapServers)),
        options,
        WindowBootstrap.fromStore(store));
  }

  /** Adds the job's operators to {@code env} (enables checkpointing when it is off). */
  public void build(StreamExecutionEnvironment env) {
    if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
      env.enableCheckpointing(DEFAULT_CHECKPOINT_INTERVAL.toMillis());
    }
    Duration lateness = options.outOfOrderness();
    SingleOutputStreamOperator<PublishedIssue> issues =
        env.fromSource(
                source,
                WatermarkStrategy.<String>forBoundedOutOfOrderness(lateness)
                    .withTimestampAssigner(new HourlyTimestamps())
                    .withIdleness(Duration.ofSeconds(30)),
                Topics.OBSERVATIONS_HOURLY)
            .uid("hourly-source")
            .process(new ParseHourlyFunction(options.variables()))
            .uid("parse-hourly")
            .name("parse hourly")
            .keyBy(HourlyValue::variable)
            .process(new IssueForecastFunction(options, bootstrap))
            .uid("issue-forecasts")
            .name("issue forecasts and alerts");
    for (int i = 0; i < sinks.size(); i++) {
      issues.sinkTo(sinks.get(i)).uid("forecast-sink-" + i);
    }
  }

  /** Builds and runs the job to completion (bounded sources) in {@code env}. */
  public void execute(StreamExecutionEnvironment env) throws Exception {
    build(env);
    env.execute("terrafield-forecast-job");
  }

  /** Builds and submits the job without waiting; cancel or stop it through the returned client. */
  public JobClient executeAsync(StreamExecutionEnvironment env) throws Exception {
    build(env);
    return env.executeAsync("terrafield-forecast-job");
  }
}
