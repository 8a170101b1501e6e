package io.terrafield.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One feature (e.g. mean NDVI in a 1 km buffer) of one satellite scene at one target (a station or
 * a grid cell). Keyed on (scene id, target id, feature).
 *
 * @param sceneId identifier of the scene (e.g. {@code LC08_195025_20130707})
 * @param targetId station id or grid cell id
 * @param acquiredAt acquisition time of the scene (UTC)
 * @param feature feature name (e.g. {@code ndvi_mean_1km})
 * @param value the finite feature value
 */
public record SatelliteFeature(
    String sceneId, String targetId, Instant acquiredAt, String feature, double value) {

  public SatelliteFeature {
    Checks.requireId("sceneId", sceneId);
    Checks.requireId("targetId", targetId);
    Objects.requireNonNull(acquiredAt, "acquiredAt");
    Checks.requireId("feature", feature);
    Checks.requireFinite("satellite feature " + feature + " of scene " + sceneId, value);
  }
}
