package io.terrafield.imagery;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-target features of a multispectral scene: the mean of each mapped band and the mean per-pixel
 * NDVI, NDWI and NDBI (see {@link SpectralIndex}) over the pixels within a buffer in metres around
 * each target (selected as in {@link GeoRaster#bufferStatistics}).
 *
 * <p>This is the call the satellite stream job makes per scene: {@link #extract(URI, BandMap,
 * List)} turns every unusable raster into a {@link RasterReadException} whose reason code can go on
 * the dead-letter topic. Immutable and thread-safe.
 */
public final class SceneFeatureExtractor {
  private final double bufferMetres;

  /**
   * @param bufferMetres buffer radius in metres, {@code >= 0} (0 = the pixel containing the point)
   */
  public SceneFeatureExtractor(double bufferMetres) {
    if (!(bufferMetres >= 0) || Double.isInfinite(bufferMetres)) {
      throw new IllegalArgumentException(
          "bufferMetres must be finite and >= 0, got " + bufferMetres);
    }
    this.bufferMetres = bufferMetres;
  }

  /** The buffer radius in metres. */
  public double bufferMetres() {
    return bufferMetres;
  }

  /**
   * Opens the scene and extracts features.
   *
   * @throws RasterReadException when the raster cannot be read (NOT_FOUND, NOT_TIFF, TRUNCATED,
   *     NO_CRS, UNREADABLE) or does not fit the band map (BAND_MAP_MISMATCH)
   */
  public List<SceneFeatures> extract(URI scene, BandMap bands, List<TargetPoint> targets)
      throws RasterReadException {
    GeoRaster raster = Rasters.open(scene);
    checkBandMap(raster, bands, scene.toString());
    return extract(raster, bands, targets);
  }

  /**
   * Extracts features from an open raster.
   *
   * @throws IllegalArgumentException when the band map names a band the raster does not have
   */
  public List<SceneFeatures> extract(GeoRaster raster, BandMap bands, List<TargetPoint> targets) {
    try {
      checkBandMap(raster, bands, "raster");
    } catch (RasterReadException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    int n = targets.size();
    double[] lons = new double[n];
    double[] lats = new double[n];
    for (int i = 0; i < n; i++) {
      lons[i] = targets.get(i).lon();
      lats[i] = targets.get(i).lat();
    }
    List<String> channels = new ArrayList<>(bands.bands().keySet());
    float[][] values = new float[channels.size()][];
    for (int c = 0; c < channels.size(); c++) {
      values[c] = raster.bandArray(bands.indexOf(channels.get(c)));
    }
    float[] nir = arrayOrNull(raster, bands, "nir");
    float[] red = arrayOrNull(raster, bands, "red");
    float[] green = arrayOrNull(raster, bands, "green");
    float[] swir1 = arrayOrNull(raster, bands, "swir1");
    GeoRaster.BufferSelector selector = raster.bufferSelector(lons, lats, bufferMetres);
    int[] scratch = new int[64];
    List<SceneFeatures> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      scratch = selector.ensureCapacity(i, scratch);
      int count = selector.select(i, scratch);
      Map<String, Double> means = new LinkedHashMap<>();
      for (int c = 0; c < channels.size(); c++) {
        means.put(channels.get(c), GeoRaster.statistics(values[c], scratch, count).mean());
      }
      int valid = 0;
      for (int k = 0; k < count; k++) {
        boolean all = true;
        for (float[] v : values) {
          all &= !Float.isNaN(v[scratch[k]]);
        }
        valid += all ? 1 : 0;
      }
      out.add(
          new SceneFeatures(
              targets.get(i).id(),
              means,
              meanIndex(nir, red, scratch, count),
              meanIndex(green, nir, scratch, count),
              meanIndex(swir1, nir, scratch, count),
              valid,
              count));
    }
    return out;
  }

  private static float[] arrayOrNull(GeoRaster raster, BandMap bands, String channel) {
    int index = bands.indexOf(channel);
    return index < 0 ? null : raster.bandArray(index);
  }

  private static double meanIndex(float[] a, float[] b, int[] indices, int count) {
    if (a == null || b == null) {
      return Double.NaN;
    }
    double sum = 0;
    int n = 0;
    for (int k = 0; k < count; k++) {
      double v = SpectralIndex.normalisedDifference(a[indices[k]], b[indices[k]]);
      if (!Double.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private static void checkBandMap(GeoRaster raster, BandMap bands, String source)
      throws RasterReadException {
    for (Map.Entry<String, Integer> e : bands.bands().entrySet()) {
      if (e.getValue() > raster.bandCount()) {
        throw new RasterReadException(
            RasterReadException.Reason.BAND_MAP_MISMATCH,
            source,
            "band map puts '"
                + e.getKey()
                + "' in band "
                + e.getValue()
                + " but "
                + source
                + " has "
                + raster.bandCount()
                + " bands",
            null);
      }
    }
  }
}
