package io.terrafield.imagery;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Features of one satellite scene around one target.
 *
 * @param targetId the target's identifier
 * @param bandMeans channel name to the mean of its valid pixels in the buffer (NaN when none)
 * @param ndvi mean per-pixel NDVI, NaN when the band map lacks nir or red or no pixel is valid
 * @param ndwi mean per-pixel NDWI (green, nir), NaN likewise
 * @param ndbi mean per-pixel NDBI (swir1, nir), NaN likewise
 * @param validCount buffer pixels valid in every mapped band
 * @param pixelCount buffer pixels on the raster (0 when the target is outside it)
 */
public record SceneFeatures(
    String targetId,
    Map<String, Double> bandMeans,
    double ndvi,
    double ndwi,
    double ndbi,
    int validCount,
    int pixelCount) {

  /** Copies the map. */
  public SceneFeatures {
    bandMeans = Collections.unmodifiableMap(new LinkedHashMap<>(bandMeans));
  }
}
