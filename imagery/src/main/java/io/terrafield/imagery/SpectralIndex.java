package io.terrafield.imagery;

import java.util.List;

/**
 * Normalised-difference spectral indices, {@code (a - b) / (a + b)} per pixel.
 *
 * <ul>
 *   <li>NDVI = (NIR - Red) / (NIR + Red), Rouse, Haas, Schell and Deering (1974), "Monitoring
 *       vegetation systems in the Great Plains with ERTS".
 *   <li>NDWI = (Green - NIR) / (Green + NIR), McFeeters (1996), Int. J. Remote Sensing 17(7).
 *   <li>NDBI = (SWIR1 - NIR) / (SWIR1 + NIR), Zha, Gao and Ni (2003), Int. J. Remote Sensing 24(3).
 * </ul>
 *
 * Computed on the values as stored (digital numbers or reflectance); the result is NaN where either
 * band is nodata or {@code a + b == 0}.
 */
public enum SpectralIndex {
  /** Normalised difference vegetation index. */
  NDVI("nir", "red"),
  /** Normalised difference water index (McFeeters). */
  NDWI("green", "nir"),
  /** Normalised difference built-up index. */
  NDBI("swir1", "nir");

  private final String first;
  private final String second;

  SpectralIndex(String first, String second) {
    this.first = first;
    this.second = second;
  }

  /** The channel names (as in {@link BandMap}) of a and b in (a - b) / (a + b). */
  public List<String> channels() {
    return List.of(first, second);
  }

  /** Whether the band map names both channels. */
  public boolean isAvailable(BandMap bands) {
    return bands.indexOf(first) >= 0 && bands.indexOf(second) >= 0;
  }

  /** The index of two values; NaN when either is NaN or their sum is 0. */
  public static double normalisedDifference(double a, double b) {
    double sum = a + b;
    return sum == 0 ? Double.NaN : (a - b) / sum;
  }

  /**
   * The index as a one-band raster on the same grid.
   *
   * @throws IllegalArgumentException when the band map lacks a channel or names a band the raster
   *     does not have
   */
  public GeoRaster compute(GeoRaster raster, BandMap bands) {
    int a = requireBand(raster, bands, first);
    int b = requireBand(raster, bands, second);
    float[] va = raster.bandArray(a);
    float[] vb = raster.bandArray(b);
    float[] out = new float[va.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = (float) normalisedDifference(va[k], vb[k]);
    }
    return GeoRaster.build(
        raster.crs(),
        raster.info().crsCode(),
        raster.gridToCrs(),
        raster.width(),
        raster.height(),
        new float[][] {out},
        List.of(name().toLowerCase(java.util.Locale.ROOT)),
        "Float32");
  }

  static int requireBand(GeoRaster raster, BandMap bands, String channel) {
    int index = bands.indexOf(channel);
    if (index < 0) {
      throw new IllegalArgumentException(
          "band map " + bands.bands() + " has no '" + channel + "' channel");
    }
    if (index >= raster.bandCount()) {
      throw new IllegalArgumentException(
          "band map puts '"
              + channel
              + "' in band "
              + (index + 1)
              + " but the raster has "
              + raster.bandCount()
              + " bands");
    }
    return index;
  }
}
