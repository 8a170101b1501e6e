package io.terrafield.imagery;

/** How a raster value is taken at a point. */
public enum SamplingMethod {
  /** The value of the pixel that contains the point. */
  NEAREST,
  /**
   * Bilinear interpolation between the four pixel centres around the point; nodata neighbours are
   * left out and the remaining weights renormalised. At the outer half pixel of the raster the edge
   * pixels are repeated.
   */
  BILINEAR
}
