package io.terrafield.api.forecasts;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored grid cells of an issue placed on their regular lattice (spacing {@code cellSizeDeg} in
 * lon and lat, cell centres), for bilinear interpolation between the four cells around a point.
 *
 * <p>Rule: with the cells around the point at lattice indices (i, j), (i+1, j), (i, j+1), (i+1,
 * j+1) and fractional offsets tx, ty in [0, 1), the value is Σ w·v over the cells that are stored,
 * with w = (1−tx)(1−ty), tx(1−ty), (1−tx)ty, tx·ty, divided by the sum of those weights (so at the
 * edge of the stored grid the missing cells drop out). Every series (quantiles, mean,
 * P(exceedance)) is interpolated with the same weights; a convex combination of non-decreasing
 * quantile vectors is non-decreasing, so the interpolated quantiles stay ordered. Thread-safe
 * (immutable).
 */
final class CellLattice {
  private final double lon0;
  private final double lat0;
  private final double size;
  private final Map<Long, StoredIssue.Target> cells = new HashMap<>();

  CellLattice(List<StoredIssue.Target> stored, double cellSizeDeg) {
    this.size = cellSizeDeg;
    double minLon = Double.POSITIVE_INFINITY;
    double minLat = Double.POSITIVE_INFINITY;
    for (StoredIssue.Target c : stored) {
      minLon = Math.min(minLon, c.lon());
      minLat = Math.min(minLat, c.lat());
    }
    this.lon0 = minLon;
    this.lat0 = minLat;
    if (size > 0) {
      for (StoredIssue.Target c : stored) {
        cells.put(key(Math.round((c.lon() - lon0) / size), Math.round((c.lat() - lat0) / size)), c);
      }
    }
  }

  private static long key(long i, long j) {
    return (i << 32) ^ (j & 0xffffffffL);
  }

  /**
   * The interpolated {@link StoredIssue#SERIES} values at a point for one valid time, or null when
   * none of the four surrounding cells is stored with a value for that time.
   */
  double[] interpolate(double lon, double lat, int time) {
    if (cells.isEmpty()) {
      return null;
    }
    double fx = (lon - lon0) / size;
    double fy = (lat - lat0) / size;
    long i = (long) Math.floor(fx);
    long j = (long) Math.floor(fy);
    double tx = fx - i;
    double ty = fy - j;
    double[] out = null;
    double total = 0;
    for (int corner = 0; corner < 4; corner++) {
      int di = corner & 1;
      int dj = corner >> 1;
      double w = (di == 1 ? tx : 1 - tx) * (dj == 1 ? ty : 1 - ty);
      StoredIssue.Target cell = cells.get(key(i + di, j + dj));
      if (w <= 0 || cell == null || cell.values()[time] == null) {
        continue;
      }
      double[] v = cell.values()[time];
      if (out == null) {
        out = new double[v.length];
      }
      for (int k = 0; k < v.length; k++) {
        out[k] += w * v[k];
      }
      total += w;
    }
    if (out == null) {
      return null;
    }
    for (int k = 0; k < out.length; k++) {
      out[k] /= total;
    }
    return out;
  }
}
