package io.terrafield.imagery;

/**
 * A fast approximation of the WGS84 → pixel transform of a raster: exact transforms at the nodes of
 * a regular lon/lat control grid over the raster's WGS84 bounds, bilinear interpolation between
 * them (the idea of GDAL's approximate transformer). The grid is refined (33, 65, ... 513 nodes a
 * side) until the interpolation error, measured against exact transforms at every cell centre and
 * edge midpoint, is below {@value #TOLERANCE_PIXELS} pixel; when that cannot be reached, or near a
 * node that cannot be transformed, {@link #build} returns null or the point is reported as not
 * covered and the caller uses the exact transform. Immutable and thread-safe.
 */
final class ApproximateLonLatToGrid {
  static final double TOLERANCE_PIXELS = 1e-3;
  private static final int[] SIDES = {33, 65, 129, 257, 513};

  private final double minLon;
  private final double minLat;
  private final double stepLon;
  private final double stepLat;
  private final int side;
  private final double[] nodes;
  final double maxErrorPixels;

  private ApproximateLonLatToGrid(
      double minLon,
      double minLat,
      double stepLon,
      double stepLat,
      int side,
      double[] nodes,
      double error) {
    this.minLon = minLon;
    this.minLat = minLat;
    this.stepLon = stepLon;
    this.stepLat = stepLat;
    this.side = side;
    this.nodes = nodes;
    this.maxErrorPixels = error;
  }

  /** Builds the approximation, or returns null when it cannot meet the tolerance. */
  static ApproximateLonLatToGrid build(GeoRaster raster) {
    LonLatBox box = raster.info().lonLatBounds();
    double minLon = box.minLon();
    double minLat = box.minLat();
    double spanLon = box.maxLon() - box.minLon();
    double spanLat = box.maxLat() - box.minLat();
    if (!(spanLon > 0) || !(spanLat > 0)) {
      return null;
    }
    for (int side : SIDES) {
      double stepLon = spanLon / (side - 1);
      double stepLat = spanLat / (side - 1);
      double[] lons = new double[side * side];
      double[] lats = new double[side * side];
      for (int j = 0; j < side; j++) {
        for (int i = 0; i < side; i++) {
          lons[j * side + i] = minLon + i * stepLon;
          lats[j * side + i] = minLat + j * stepLat;
        }
      }
      double[] nodes = raster.toGridExact(lons, lats);
      ApproximateLonLatToGrid candidate =
          new ApproximateLonLatToGrid(minLon, minLat, stepLon, stepLat, side, nodes, 0);
      double error = candidate.measureError(raster);
      if (error <= TOLERANCE_PIXELS) {
        return new ApproximateLonLatToGrid(minLon, minLat, stepLon, stepLat, side, nodes, error);
      }
    }
    return null;
  }

  private double measureError(GeoRaster raster) {
    int cells = side - 1;
    int n = cells * cells * 3;
    double[] lons = new double[n];
    double[] lats = new double[n];
    int k = 0;
    for (int j = 0; j < cells; j++) {
      for (int i = 0; i < cells; i++) {
        double lon = minLon + i * stepLon;
        double lat = minLat + j * stepLat;
        lons[k] = lon + stepLon / 2;
        lats[k++] = lat + stepLat / 2;
        lons[k] = lon + stepLon / 2;
        lats[k++] = lat;
        lons[k] = lon;
        lats[k++] = lat + stepLat / 2;
      }
    }
    double[] exact = raster.toGridExact(lons, lats);
    double[] approx = new double[2];
    double worst = 0;
    for (int p = 0; p < n; p++) {
      boolean exactValid = !Double.isNaN(exact[2 * p]) && !Double.isNaN(exact[2 * p + 1]);
      boolean covered = interpolate(lons[p], lats[p], approx, 0);
      if (exactValid != covered) {
        if (exactValid) {
          return Double.POSITIVE_INFINITY;
        }
        continue;
      }
      if (covered) {
        worst =
            Math.max(
                worst,
                Math.max(
                    Math.abs(approx[0] - exact[2 * p]), Math.abs(approx[1] - exact[2 * p + 1])));
      }
    }
    return worst;
  }

  /**
   * Writes the approximate pixel coordinates of (lon, lat) to out[at], out[at + 1] and returns
   * true, or returns false when the point is outside the control grid or next to a node that could
   * not be transformed.
   */
  boolean interpolate(double lon, double lat, double[] out, int at) {
    double u = (lon - minLon) / stepLon;
    double v = (lat - minLat) / stepLat;
    if (!(u >= 0 && v >= 0 && u <= side - 1 && v <= side - 1)) {
      return false;
    }
    int i = Math.min((int) u, side - 2);
    int j = Math.min((int) v, side - 2);
    double fu = u - i;
    double fv = v - j;
    int n00 = 2 * (j * side + i);
    int n10 = n00 + 2;
    int n01 = n00 + 2 * side;
    int n11 = n01 + 2;
    double w00 = (1 - fu) * (1 - fv);
    double w10 = fu * (1 - fv);
    double w01 = (1 - fu) * fv;
    double w11 = fu * fv;
    double x = w00 * nodes[n00] + w10 * nodes[n10] + w01 * nodes[n01] + w11 * nodes[n11];
    double y =
        w00 * nodes[n00 + 1] + w10 * nodes[n10 + 1] + w01 * nodes[n01 + 1] + w11 * nodes[n11 + 1];
    if (Double.isNaN(x) || Double.isNaN(y)) {
      return false;
    }
    out[at] = x;
    out[at + 1] = y;
    return true;
  }
}
