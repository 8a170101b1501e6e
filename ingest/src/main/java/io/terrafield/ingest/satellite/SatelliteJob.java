package io.terrafield.ingest.satellite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.terrafield.imagery.TargetPoint;
import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.KafkaConnectors;
import io.terrafield.ingest.sensor.Rejection;
import io.terrafield.ingest.store.StoreSink;
import io.terrafield.store.SatelliteFeature;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The satellite job: scene announcements ({@code sat.scenes}) → read each GeoTIFF (Apache SIS,
 * through the imagery module) → features per station and grid cell → the store and {@code
 * sat.features}; unusable scenes → {@code sat.scenes.rejected} with the reason. Feature upserts are
 * keyed on (scene, target, feature), so a re-delivered scene changes nothing.
 */
public final class SatelliteJob {

  private final Source<String, ?, ?> source;
  private final List<Sink<SatelliteFeature>> featureSinks;
  private final Sink<Rejection> rejectedSink;
  private final List<TargetPoint> targets;
  private final double bufferMetres;
  private final Clock clock;

  public SatelliteJob(
      Source<String, ?, ?> source,
      List<Sink<SatelliteFeature>> featureSinks,
      Sink<Rejection> rejectedSink,
      List<TargetPoint> targets,
      double bufferMetres,
      Clock clock) {
    this.source = source;
    this.featureSinks = List.copyOf(featureSinks);
    this.rejectedSink = rejectedSink;
    this.targets = List.copyOf(targets);
    this.bufferMetres = bufferMetres;
    this.clock = clock;
  }

  /** Kafka source and sinks, as in production; {@code bounded} stops at the latest offsets. */
  public static SatelliteJob kafka(
      String bootstrapServers,
      StoreSettings store,
      List<TargetPoint> targets,
      double bufferMetres,
      Clock clock,
      boolean bounded) {
    Sink<SatelliteFeature> topic =
        KafkaConnectors.sink(bootstrapServers, Topics.SAT_FEATURES, null, new FeatureSerializer());
    return new SatelliteJob(
        KafkaConnectors.textSource(
            bootstrapServers, Topics.SAT_SCENES, "terrafield-satellite-job", bounded),
        List.of(StoreSink.satelliteFeatures(store, clock), topic),
        KafkaConnectors.rejectionSink(bootstrapServers, Topics.SAT_SCENES_REJECTED),
        targets,
        bufferMetres,
        clock);
  }

  public void build(StreamExecutionEnvironment env) {
    SingleOutputStreamOperator<SatelliteFeature> features =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), Topics.SAT_SCENES)
            .uid("scenes-source")
            .process(new SceneFeaturesFunction(targets, bufferMetres, clock))
            .uid("scene-features")
            .name("read raster and extract features");
    for (int i = 0; i < featureSinks.size(); i++) {
      features.sinkTo(featureSinks.get(i)).uid("features-sink-" + i);
    }
    features
        .getSideOutput(SceneFeaturesFunction.REJECTED)
        .sinkTo(rejectedSink)
        .uid("scenes-rejected-sink")
        .name(Topics.SAT_SCENES_REJECTED);
  }

  public void execute(StreamExecutionEnvironment env) throws Exception {
    build(env);
    env.execute("terrafield-satellite-job");
  }

  public JobClient executeAsync(StreamExecutionEnvironment env) throws Exception {
    build(env);
    return env.executeAsync("terrafield-satellite-job");
  }

  /** A feature on {@code sat.features}. */
  static final class FeatureSerializer implements SerializationSchema<SatelliteFeature> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public byte[] serialize(SatelliteFeature f) {
      ObjectNode node = JSON.createObjectNode();
      node.put("scene_id", f.sceneId());
      node.put("target", f.targetId());
      node.put("acquired", f.acquiredAt().toString());
      node.put("feature", f.feature());
      node.put("value", f.value());
      return node.toString().getBytes(StandardCharsets.UTF_8);
    }
  }
}
