package io.terrafield.imagery;

/**
 * A square image patch around a point, channels first: value of channel c at (row, col) is {@code
 * values[(c * size + row) * size + col]}; NaN for nodata and for pixels beyond the raster edge.
 *
 * @param id identifier of the point the patch is centred on
 * @param channels number of channels (bands)
 * @param size side length in pixels
 * @param values {@code channels * size * size} values, channels first
 */
public record ImagePatch(String id, int channels, int size, float[] values) {

  /** Validates the shape. */
  public ImagePatch {
    if (channels < 1 || size < 1) {
      throw new IllegalArgumentException(
          "ImagePatch " + id + ": channels and size must be >= 1, got " + channels + ", " + size);
    }
    if (values.length != channels * size * size) {
      throw new IllegalArgumentException(
          "ImagePatch "
              + id
              + ": expected channels*size*size = "
              + channels * size * size
              + " values, got "
              + values.length);
    }
  }

  /** The value of channel c at (row, col). */
  public float value(int channel, int row, int col) {
    return values[(channel * size + row) * size + col];
  }

  /**
   * Cuts patches centred on the pixels that contain the targets.
   *
   * @param raster the raster
   * @param bands 0-based band indices, in channel order
   * @param targets the centres
   * @param size side length in pixels ({@code >= 1}; for even sizes the centre pixel is at index
   *     {@code size / 2})
   */
  public static java.util.List<ImagePatch> around(
      GeoRaster raster, int[] bands, java.util.List<TargetPoint> targets, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("patch size must be >= 1, got " + size);
    }
    if (bands.length == 0) {
      throw new IllegalArgumentException("at least one band is needed for a patch");
    }
    double[] lons = targets.stream().mapToDouble(TargetPoint::lon).toArray();
    double[] lats = targets.stream().mapToDouble(TargetPoint::lat).toArray();
    double[] grid = raster.toGrid(lons, lats);
    float[][] data = new float[bands.length][];
    for (int c = 0; c < bands.length; c++) {
      data[c] = raster.bandArray(bands[c]);
    }
    java.util.List<ImagePatch> out = new java.util.ArrayList<>();
    int half = size / 2;
    for (int i = 0; i < targets.size(); i++) {
      float[] values = new float[bands.length * size * size];
      java.util.Arrays.fill(values, Float.NaN);
      double gx = grid[2 * i];
      double gy = grid[2 * i + 1];
      if (!Double.isNaN(gx) && !Double.isNaN(gy)) {
        long centreCol = (long) Math.floor(gx + 0.5);
        long centreRow = (long) Math.floor(gy + 0.5);
        for (int r = 0; r < size; r++) {
          long row = centreRow - half + r;
          if (row < 0 || row >= raster.height()) {
            continue;
          }
          for (int k = 0; k < size; k++) {
            long col = centreCol - half + k;
            if (col < 0 || col >= raster.width()) {
              continue;
            }
            int index = (int) (row * raster.width() + col);
            for (int c = 0; c < bands.length; c++) {
              values[(c * size + r) * size + k] = data[c][index];
            }
          }
        }
      }
      out.add(new ImagePatch(targets.get(i).id(), bands.length, size, values));
    }
    return out;
  }
}
