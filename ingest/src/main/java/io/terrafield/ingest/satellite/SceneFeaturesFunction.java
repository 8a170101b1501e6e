package io.terrafield.ingest.satellite;

import io.terrafield.imagery.RasterReadException;
import io.terrafield.imagery.SceneFeatureExtractor;
import io.terrafield.imagery.SceneFeatures;
import io.terrafield.imagery.TargetPoint;
import io.terrafield.ingest.sensor.Rejection;
import io.terrafield.store.SatelliteFeature;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Reads the GeoTIFF of each scene message and emits its features at every target the raster covers:
 * per mapped band the mean within the buffer, and the mean NDVI, NDWI and NDBI where the band map
 * allows ({@code <name>_mean_<buffer>m}, e.g. {@code ndvi_mean_1000m}), plus the number of valid
 * pixels. Targets outside the raster get nothing. An invalid message or an unusable raster
 * (missing, not a TIFF, truncated, no CRS, unreadable, bands not matching the band map) goes to
 * {@link #REJECTED} with the reason. Stateless.
 */
public final class SceneFeaturesFunction extends ProcessFunction<String, SatelliteFeature> {

  public static final OutputTag<Rejection> REJECTED = new OutputTag<>("scene-rejected") {};

  // Targets travel as plain arrays (TargetPoint is not Serializable) and are rebuilt on open.
  private final String[] targetIds;
  private final double[] targetLons;
  private final double[] targetLats;
  private final double bufferMetres;
  private final Clock clock;
  private transient List<TargetPoint> targets;

  public SceneFeaturesFunction(List<TargetPoint> targets, double bufferMetres, Clock clock) {
    this.targetIds = targets.stream().map(TargetPoint::id).toArray(String[]::new);
    this.targetLons = targets.stream().mapToDouble(TargetPoint::lon).toArray();
    this.targetLats = targets.stream().mapToDouble(TargetPoint::lat).toArray();
    this.bufferMetres = bufferMetres;
    this.clock = clock;
  }

  @Override
  public void open(OpenContext openContext) {
    List<TargetPoint> list = new ArrayList<>(targetIds.length);
    for (int i = 0; i < targetIds.length; i++) {
      list.add(new TargetPoint(targetIds[i], targetLons[i], targetLats[i]));
    }
    targets = List.copyOf(list);
  }

  @Override
  public void processElement(String payload, Context ctx, Collector<SatelliteFeature> out) {
    SceneMessage scene;
    try {
      scene = SceneMessage.parse(payload);
    } catch (SceneMessage.InvalidSceneException e) {
      ctx.output(REJECTED, rejection(payload, e.getMessage(), e.field(), null));
      return;
    }
    List<SceneFeatures> features;
    try {
      features =
          new SceneFeatureExtractor(bufferMetres).extract(scene.uri(), scene.bands(), targets);
    } catch (RasterReadException e) {
      ctx.output(
          REJECTED,
          rejection(
              payload,
              "uri: " + e.reason().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage(),
              "uri",
              scene.uri().toString()));
      return;
    } catch (RuntimeException e) {
      ctx.output(
          REJECTED,
          rejection(
              payload, "uri: unreadable raster: " + e.getMessage(), "uri", scene.uri().toString()));
      return;
    }
    String suffix = "_mean_" + Math.round(bufferMetres) + "m";
    for (SceneFeatures f : features) {
      if (f.pixelCount() == 0) {
        continue;
      }
      for (Map.Entry<String, Double> band : f.bandMeans().entrySet()) {
        emit(out, scene, f.targetId(), band.getKey() + suffix, band.getValue());
      }
      emit(out, scene, f.targetId(), "ndvi" + suffix, f.ndvi());
      emit(out, scene, f.targetId(), "ndwi" + suffix, f.ndwi());
      emit(out, scene, f.targetId(), "ndbi" + suffix, f.ndbi());
      emit(
          out,
          scene,
          f.targetId(),
          "valid_pixels_" + Math.round(bufferMetres) + "m",
          f.validCount());
    }
  }

  private static void emit(
      Collector<SatelliteFeature> out, SceneMessage scene, String target, String name, double v) {
    if (Double.isFinite(v)) {
      out.collect(new SatelliteFeature(scene.sceneId(), target, scene.acquired(), name, v));
    }
  }

  private Rejection rejection(String payload, String reason, String field, String value) {
    String p = payload == null ? "" : payload;
    return new Rejection(
        p.length() > 4096 ? p.substring(0, 4096) : p,
        p.getBytes(StandardCharsets.UTF_8).length,
        reason,
        field,
        value,
        clock.instant());
  }
}
