package io.terrafield.imagery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.sis.referencing.CRS;
import org.apache.sis.referencing.CommonCRS;
import org.opengis.referencing.crs.CoordinateReferenceSystem;
import org.opengis.referencing.crs.GeographicCRS;
import org.opengis.referencing.cs.AxisDirection;
import org.opengis.referencing.operation.MathTransform;
import org.opengis.referencing.operation.TransformException;
import org.opengis.util.FactoryException;

/**
 * A georeferenced raster held in memory as one {@code float} array per band, with nodata stored as
 * NaN and scale/offset already applied. Instances come from {@link Rasters#open} or {@link
 * #create}; they are immutable and thread-safe.
 *
 * <p>All point arguments are WGS84 longitude/latitude in degrees. Points are transformed to the
 * raster's CRS in bulk with one Apache SIS {@link MathTransform} call per request, then to pixel
 * coordinates with the raster's affine grid-to-CRS transform, so that sampling costs a few
 * arithmetic operations per point once the raster is open.
 *
 * <p><b>Buffers in metres.</b> {@link #bufferStatistics} selects the pixels whose centres lie
 * within {@code r} metres of the point. The distance is measured in the local tangent plane of the
 * WGS84 ellipsoid at the point: the Jacobian of the map (east, north metres) to (column, row) is
 * obtained by finite differences through the exact CRS transform, with east/north metres per degree
 * given by the ellipsoid's radii of curvature N(φ)·cos φ and M(φ). This is exact to first order in
 * r in any CRS (geographic, UTM, Web Mercator — whose scale 1/cos φ is thereby accounted for); the
 * relative error of the distance is of order r·tan φ / R (about 0.3 % for r = 10 km at 60° in
 * EPSG:3857, far less in UTM). On a geographic raster, where that error would exceed 0.3 % (large
 * buffers at high latitude, or a buffer holding a pole), the buffer is instead the spherical cap:
 * haversine distance on the sphere of the Gaussian radius √(M(φ)·N(φ)) at the point (error ≤ 0.34
 * %), scanning all longitudes when the cap holds a pole. When no pixel centre lies within r (buffer
 * smaller than a pixel), the pixel containing the point is used.
 */
public final class GeoRaster {

  private static final double WGS84_A = 6378137.0;
  private static final double WGS84_E2 = 0.00669437999014;
  private static final double FINITE_DIFFERENCE_DEGREES = 1e-5;
  private static final int APPROXIMATION_MIN_POINTS = 4096;

  private final CoordinateReferenceSystem crs;
  private final double[] gridToCrs;
  private final double[] crsToGrid;
  private final MathTransform lonLatToCrs;
  private final int width;
  private final int height;
  private final float[][] bands;
  private final RasterInfo info;
  private final boolean wrapsLongitude;
  private volatile boolean approximationBuilt;
  private ApproximateLonLatToGrid approximation;

  GeoRaster(
      CoordinateReferenceSystem crs,
      double[] gridToCrs,
      int width,
      int height,
      float[][] bands,
      RasterInfo info) {
    this.crs = crs;
    this.gridToCrs = gridToCrs.clone();
    this.crsToGrid = invert(gridToCrs);
    this.width = width;
    this.height = height;
    this.bands = bands;
    this.info = info;
    try {
      this.lonLatToCrs =
          CRS.findOperation(CommonCRS.WGS84.normalizedGeographic(), crs, null).getMathTransform();
    } catch (FactoryException e) {
      throw new IllegalArgumentException(
          "no transform from WGS84 to the raster CRS " + info.crsName() + ": " + e.getMessage(), e);
    }
    this.wrapsLongitude = computeWrapsLongitude();
  }

  /**
   * Builds a raster from values on a grid, e.g. a forecast grid to be written with {@link
   * Rasters#write}.
   *
   * @param grid the grid; its CRS code must be known to Apache SIS
   * @param bandNames one name per band
   * @param values one array per band, row-major from the upper-left pixel, {@code width * height}
   *     values each; NaN is nodata. The arrays are copied.
   * @throws IllegalArgumentException naming the field when the CRS is unknown or sizes disagree
   */
  public static GeoRaster create(GridSpec grid, List<String> bandNames, float[][] values) {
    Objects.requireNonNull(grid, "grid");
    if (bandNames.size() != values.length) {
      throw new IllegalArgumentException(
          "bandNames has "
              + bandNames.size()
              + " names but values has "
              + values.length
              + " bands");
    }
    float[][] copy = new float[values.length][];
    for (int b = 0; b < values.length; b++) {
      if (values[b].length != grid.width() * grid.height()) {
        throw new IllegalArgumentException(
            "values["
                + b
                + "] has "
                + values[b].length
                + " values, expected width*height = "
                + (long) grid.width() * grid.height());
      }
      copy[b] = values[b].clone();
    }
    CoordinateReferenceSystem crs = Crs.decode(grid.crsCode(), "GridSpec.crsCode");
    double[] affine = {
      grid.originX() + grid.pixelSizeX() / 2,
      grid.pixelSizeX(),
      0,
      grid.originY() - grid.pixelSizeY() / 2,
      0,
      -grid.pixelSizeY()
    };
    return build(
        crs,
        grid.crsCode().trim().toUpperCase(Locale.ROOT),
        affine,
        grid.width(),
        grid.height(),
        copy,
        bandNames,
        "Float32");
  }

  static GeoRaster build(
      CoordinateReferenceSystem crs,
      String crsCode,
      double[] affine,
      int width,
      int height,
      float[][] bands,
      List<String> bandNames,
      String dataType) {
    List<Double> noData = new ArrayList<>();
    for (int b = 0; b < bands.length; b++) {
      noData.add(Double.NaN);
    }
    RasterInfo info =
        Crs.describe(crs, crsCode, affine, width, height, bandNames, dataType, noData);
    return new GeoRaster(crs, affine, width, height, bands, info);
  }

  /** The raster's metadata. */
  public RasterInfo info() {
    return info;
  }

  /** Number of columns. */
  public int width() {
    return width;
  }

  /** Number of rows. */
  public int height() {
    return height;
  }

  /** Number of bands. */
  public int bandCount() {
    return bands.length;
  }

  /** The coordinate reference system. */
  public CoordinateReferenceSystem crs() {
    return crs;
  }

  /**
   * The affine pixel-centre-to-CRS transform as {@code {x0, dx/dcol, dx/drow, y0, dy/dcol,
   * dy/drow}}: pixel (col, row) has its centre at {@code x = x0 + col*dx/dcol + row*dx/drow}, same
   * for y, in the CRS axis order.
   */
  public double[] gridToCrs() {
    return gridToCrs.clone();
  }

  /**
   * The value of one pixel, NaN for nodata.
   *
   * @param band band index, 0-based
   * @param col column, 0-based from the west/left
   * @param row row, 0-based from the top
   */
  public float value(int band, int col, int row) {
    checkBand(band);
    if (col < 0 || col >= width || row < 0 || row >= height) {
      throw new IndexOutOfBoundsException(
          "pixel (col " + col + ", row " + row + ") outside " + width + "x" + height);
    }
    return bands[band][row * width + col];
  }

  /**
   * A copy of one band, row-major from the upper-left pixel, NaN for nodata.
   *
   * @param band band index, 0-based
   */
  public float[] bandValues(int band) {
    checkBand(band);
    return bands[band].clone();
  }

  /** The 0-based index of the band with this name, as in {@link RasterInfo#bandNames()}. */
  public int bandIndex(String bandName) {
    int index = info.bandNames().indexOf(bandName);
    if (index < 0) {
      throw new IllegalArgumentException(
          "band '" + bandName + "' not in raster bands " + info.bandNames());
    }
    return index;
  }

  /** Whether the WGS84 point falls on a pixel of the raster (valid or nodata). */
  public boolean contains(double lon, double lat) {
    double[] g = toGrid(new double[] {lon}, new double[] {lat});
    return insideX(g[0]) && insideY(g[1]);
  }

  /**
   * Throws when the point falls outside the raster.
   *
   * @param id the point's identifier, for the message
   * @throws PointOutsideRasterException naming the point, its coordinates and the raster bounds
   */
  public void requireInside(String id, double lon, double lat) {
    if (!contains(lon, lat)) {
      throw new PointOutsideRasterException(id, lon, lat, info.lonLatBounds());
    }
  }

  /**
   * Samples one band at WGS84 points.
   *
   * @param band band index, 0-based
   * @param lons longitudes in degrees
   * @param lats latitudes in degrees, same length
   * @param method nearest pixel or bilinear interpolation
   * @return one value per point; NaN for nodata and for points outside the raster
   */
  public double[] sample(int band, double[] lons, double[] lats, SamplingMethod method) {
    checkBand(band);
    double[] grid = toGrid(lons, lats);
    double[] out = new double[lons.length];
    float[] values = bands[band];
    if (method == SamplingMethod.NEAREST) {
      for (int i = 0; i < out.length; i++) {
        out[i] = nearest(values, grid[2 * i], grid[2 * i + 1]);
      }
    } else {
      for (int i = 0; i < out.length; i++) {
        out[i] = bilinear(values, grid[2 * i], grid[2 * i + 1]);
      }
    }
    return out;
  }

  /**
   * Samples one band at one WGS84 point; see {@link #sample(int, double[], double[],
   * SamplingMethod)}.
   */
  public double sample(int band, double lon, double lat, SamplingMethod method) {
    return sample(band, new double[] {lon}, new double[] {lat}, method)[0];
  }

  /**
   * Statistics of one band within {@code radiusMetres} of each WGS84 point (see the class comment
   * for the distance method).
   *
   * @param band band index, 0-based
   * @param lons longitudes in degrees
   * @param lats latitudes in degrees, same length
   * @param radiusMetres buffer radius in metres, {@code >= 0}
   * @return one result per point; {@link BufferStatistics#validCount()} is 0 when the buffer holds
   *     no valid pixel (e.g. the point is outside the raster)
   */
  public BufferStatistics[] bufferStatistics(
      int band, double[] lons, double[] lats, double radiusMetres) {
    checkBand(band);
    BufferSelector selector = bufferSelector(lons, lats, radiusMetres);
    BufferStatistics[] out = new BufferStatistics[lons.length];
    float[] values = bands[band];
    int[] scratch = new int[64];
    for (int i = 0; i < out.length; i++) {
      scratch = selector.ensureCapacity(i, scratch);
      int n = selector.select(i, scratch);
      out[i] = statistics(values, scratch, n);
    }
    return out;
  }

  /**
   * Average pooling by an integer factor: each output pixel is the mean of the valid pixels of a
   * {@code factor x factor} block (blocks at the right and bottom edges may be partial, so the
   * extent is kept). NaN when the block holds no valid pixel.
   *
   * @param factor block size, {@code >= 1}
   */
  public GeoRaster averagePool(int factor) {
    if (factor < 1) {
      throw new IllegalArgumentException("averagePool factor must be >= 1, got " + factor);
    }
    int outWidth = (width + factor - 1) / factor;
    int outHeight = (height + factor - 1) / factor;
    float[][] pooled = new float[bands.length][outWidth * outHeight];
    for (int b = 0; b < bands.length; b++) {
      double[] sum = new double[outWidth * outHeight];
      int[] count = new int[outWidth * outHeight];
      float[] values = bands[b];
      for (int row = 0; row < height; row++) {
        int outRow = row / factor;
        for (int col = 0; col < width; col++) {
          float v = values[row * width + col];
          if (!Float.isNaN(v)) {
            int k = outRow * outWidth + col / factor;
            sum[k] += v;
            count[k]++;
          }
        }
      }
      for (int k = 0; k < sum.length; k++) {
        pooled[b][k] = count[k] == 0 ? Float.NaN : (float) (sum[k] / count[k]);
      }
    }
    double shift = (factor - 1) / 2.0;
    double[] g = gridToCrs;
    double[] affine = {
      g[0] + shift * (g[1] + g[2]), g[1] * factor, g[2] * factor,
      g[3] + shift * (g[4] + g[5]), g[4] * factor, g[5] * factor
    };
    return build(
        crs, info.crsCode(), affine, outWidth, outHeight, pooled, info.bandNames(), "Float32");
  }

  /**
   * Aggregates this raster onto a coarser target grid: each target cell receives the mean of the
   * valid source pixels whose centres fall in it (NaN when none does). Source pixel centres are
   * transformed to the target CRS exactly, so the grids may be in different CRSs.
   *
   * @param target the target grid, typically coarser than this raster
   * @throws IllegalArgumentException when the target CRS is unknown
   */
  public GeoRaster aggregateTo(GridSpec target) {
    CoordinateReferenceSystem targetCrs = Crs.decode(target.crsCode(), "GridSpec.crsCode");
    MathTransform toTarget;
    try {
      toTarget = CRS.findOperation(crs, targetCrs, null).getMathTransform();
    } catch (FactoryException e) {
      throw new IllegalArgumentException(
          "no transform from " + info.crsName() + " to " + target.crsCode(), e);
    }
    int n = width * height;
    double[] pts = new double[2 * n];
    for (int row = 0; row < height; row++) {
      for (int col = 0; col < width; col++) {
        int k = 2 * (row * width + col);
        pts[k] = gridToCrs[0] + col * gridToCrs[1] + row * gridToCrs[2];
        pts[k + 1] = gridToCrs[3] + col * gridToCrs[4] + row * gridToCrs[5];
      }
    }
    transformInPlace(toTarget, pts);
    int cells = target.width() * target.height();
    float[][] out = new float[bands.length][cells];
    int[] cellOf = new int[n];
    for (int i = 0; i < n; i++) {
      double tx = (pts[2 * i] - target.originX()) / target.pixelSizeX();
      double ty = (target.originY() - pts[2 * i + 1]) / target.pixelSizeY();
      if (tx >= 0 && tx < target.width() && ty >= 0 && ty < target.height()) {
        cellOf[i] = (int) ty * target.width() + (int) tx;
      } else {
        cellOf[i] = -1;
      }
    }
    for (int b = 0; b < bands.length; b++) {
      double[] sum = new double[cells];
      int[] count = new int[cells];
      float[] values = bands[b];
      for (int i = 0; i < n; i++) {
        if (cellOf[i] >= 0 && !Float.isNaN(values[i])) {
          sum[cellOf[i]] += values[i];
          count[cellOf[i]]++;
        }
      }
      for (int k = 0; k < cells; k++) {
        out[b][k] = count[k] == 0 ? Float.NaN : (float) (sum[k] / count[k]);
      }
    }
    double[] affine = {
      target.originX() + target.pixelSizeX() / 2,
      target.pixelSizeX(),
      0,
      target.originY() - target.pixelSizeY() / 2,
      0,
      -target.pixelSizeY()
    };
    return build(
        targetCrs,
        target.crsCode().trim().toUpperCase(Locale.ROOT),
        affine,
        target.width(),
        target.height(),
        out,
        info.bandNames(),
        "Float32");
  }

  // ---------------------------------------------------------------- package-private machinery

  float[] bandArray(int band) {
    checkBand(band);
    return bands[band];
  }

  /**
   * Interleaved (col, row) pixel-centre coordinates of the points, NaN where not transformable.
   * Uses the {@link ApproximateLonLatToGrid} (error below 0.001 pixel) for large requests when one
   * can be built, the exact CRS transform otherwise.
   */
  double[] toGrid(double[] lons, double[] lats) {
    if (lons.length < APPROXIMATION_MIN_POINTS) {
      return toGridExact(lons, lats);
    }
    ApproximateLonLatToGrid approximation = approximation();
    if (approximation == null) {
      return toGridExact(lons, lats);
    }
    int n = lons.length;
    double[] out = new double[2 * n];
    int[] missed = new int[n];
    int missedCount = 0;
    for (int i = 0; i < n; i++) {
      if (!approximation.interpolate(lons[i], lats[i], out, 2 * i)) {
        missed[missedCount++] = i;
      }
    }
    if (missedCount > 0) {
      double[] missedLons = new double[missedCount];
      double[] missedLats = new double[missedCount];
      for (int k = 0; k < missedCount; k++) {
        missedLons[k] = lons[missed[k]];
        missedLats[k] = lats[missed[k]];
      }
      double[] exact = toGridExact(missedLons, missedLats);
      for (int k = 0; k < missedCount; k++) {
        out[2 * missed[k]] = exact[2 * k];
        out[2 * missed[k] + 1] = exact[2 * k + 1];
      }
    }
    return out;
  }

  private ApproximateLonLatToGrid approximation() {
    if (!approximationBuilt) {
      synchronized (this) {
        if (!approximationBuilt) {
          approximation = ApproximateLonLatToGrid.build(this);
          approximationBuilt = true;
        }
      }
    }
    return approximation;
  }

  /**
   * For a geographic CRS whose WGS84 → pixel map is affine: that map as {c0, dc/dlon, dc/dlat, r0,
   * dr/dlon, dr/dlat}; null otherwise (projected CRS, or a datum shift).
   */
  double[] geographicAffine() {
    if (!(crs instanceof GeographicCRS)) {
      return null;
    }
    double[] g = toGridExact(new double[] {0, 1, 0, 37, -120}, new double[] {0, 0, 1, 23, -61});
    double[] a = {g[0], g[2] - g[0], g[4] - g[0], g[1], g[3] - g[1], g[5] - g[1]};
    for (int k = 3; k < 5; k++) {
      double lon = k == 3 ? 37 : -120;
      double lat = k == 3 ? 23 : -61;
      double col = a[0] + a[1] * lon + a[2] * lat;
      double row = a[3] + a[4] * lon + a[5] * lat;
      if (!(Math.abs(col - g[2 * k]) < 1e-6 && Math.abs(row - g[2 * k + 1]) < 1e-6)) {
        return null;
      }
    }
    return a;
  }

  /** The inverse of {@link #geographicAffine()}: pixel (col, row) → (lon, lat). */
  double[] geographicAffineInverse() {
    double[] a = geographicAffine();
    double det = a[1] * a[5] - a[2] * a[4];
    double i11 = a[5] / det;
    double i12 = -a[2] / det;
    double i21 = -a[4] / det;
    double i22 = a[1] / det;
    return new double[] {
      -(i11 * a[0] + i12 * a[3]), i11, i12, -(i21 * a[0] + i22 * a[3]), i21, i22
    };
  }

  /** As {@link #toGrid} but always through the exact CRS transform. */
  double[] toGridExact(double[] lons, double[] lats) {
    if (lons.length != lats.length) {
      throw new IllegalArgumentException(
          "lons has " + lons.length + " values but lats has " + lats.length);
    }
    int n = lons.length;
    double[] pts = new double[2 * n];
    for (int i = 0; i < n; i++) {
      pts[2 * i] = lons[i];
      pts[2 * i + 1] = lats[i];
    }
    transformInPlace(lonLatToCrs, pts);
    double[] a = crsToGrid;
    for (int i = 0; i < n; i++) {
      double x = pts[2 * i];
      double y = pts[2 * i + 1];
      pts[2 * i] = a[0] + a[1] * x + a[2] * y;
      pts[2 * i + 1] = a[3] + a[4] * x + a[5] * y;
    }
    return pts;
  }

  BufferSelector bufferSelector(double[] lons, double[] lats, double radiusMetres) {
    if (!(radiusMetres >= 0) || Double.isInfinite(radiusMetres)) {
      throw new IllegalArgumentException(
          "buffer radius must be a finite number of metres >= 0, got " + radiusMetres);
    }
    int n = lons.length;
    if (lats.length != n) {
      throw new IllegalArgumentException(
          "lons has " + lons.length + " values but lats has " + lats.length);
    }
    double[] qLon = new double[3 * n];
    double[] qLat = new double[3 * n];
    for (int i = 0; i < n; i++) {
      double lat = Math.max(-89.0, Math.min(89.0, lats[i]));
      qLon[3 * i] = lons[i];
      qLat[3 * i] = lats[i];
      qLon[3 * i + 1] = lons[i] + FINITE_DIFFERENCE_DEGREES;
      qLat[3 * i + 1] = lats[i];
      qLon[3 * i + 2] = lons[i];
      qLat[3 * i + 2] = lat + (lat > 88.0 ? -FINITE_DIFFERENCE_DEGREES : FINITE_DIFFERENCE_DEGREES);
    }
    double[] g = toGridExact(qLon, qLat);
    return new BufferSelector(this, lons, lats, g, radiusMetres);
  }

  /** Selects the pixels of one point's buffer; see the class comment for the method. */
  static final class BufferSelector {
    /** Tangent-plane relative distance error above which a geographic raster uses the sphere. */
    private static final double TANGENT_PLANE_MAX_ERROR = 0.003;

    private final GeoRaster raster;
    private final double[] gx;
    private final double[] gy;
    private final double[] inverse;
    private final double[] halfX;
    private final double[] halfY;
    private final double radiusSquared;
    private final boolean[] spherical;
    private final double[] lon0;
    private final double[] lat0;
    private final double[] angularRadius;
    private final long[] window;
    private final double[] gridToLonLat;

    BufferSelector(GeoRaster raster, double[] lons, double[] lats, double[] g, double radius) {
      this.raster = raster;
      int n = lats.length;
      gx = new double[n];
      gy = new double[n];
      inverse = new double[4 * n];
      halfX = new double[n];
      halfY = new double[n];
      radiusSquared = radius * radius;
      spherical = new boolean[n];
      lon0 = lons.clone();
      lat0 = lats.clone();
      angularRadius = new double[n];
      window = new long[4 * n];
      double[] lonLatToGrid = raster.geographicAffine();
      gridToLonLat = lonLatToGrid == null ? null : raster.geographicAffineInverse();
      for (int i = 0; i < n; i++) {
        double lat = Math.max(-89.0, Math.min(89.0, lats[i]));
        double phi = Math.toRadians(lat);
        double s = Math.sin(phi);
        double w = Math.sqrt(1 - WGS84_E2 * s * s);
        double primeVertical = WGS84_A / w;
        double meridional = WGS84_A * (1 - WGS84_E2) / (w * w * w);
        double alpha = radius / Math.sqrt(primeVertical * meridional);
        angularRadius[i] = alpha;
        if (lonLatToGrid != null
            && (alpha * Math.abs(Math.tan(Math.toRadians(lats[i]))) > TANGENT_PLANE_MAX_ERROR
                || Math.abs(lats[i]) + Math.toDegrees(alpha) >= 89.0)) {
          spherical[i] = true;
          sphericalWindow(i, lonLatToGrid);
          continue;
        }
        double eastMetres =
            Math.toRadians(FINITE_DIFFERENCE_DEGREES) * primeVertical * Math.cos(phi);
        double northSign = lat > 88.0 ? -1 : 1;
        double northMetres = northSign * Math.toRadians(FINITE_DIFFERENCE_DEGREES) * meridional;
        double x0 = g[6 * i];
        double y0 = g[6 * i + 1];
        gx[i] = x0;
        gy[i] = y0;
        // A = d(col,row)/d(east,north): grid units per metre.
        double a00 = (g[6 * i + 2] - x0) / eastMetres;
        double a10 = (g[6 * i + 3] - y0) / eastMetres;
        double a01 = (g[6 * i + 4] - x0) / northMetres;
        double a11 = (g[6 * i + 5] - y0) / northMetres;
        double det = a00 * a11 - a01 * a10;
        inverse[4 * i] = a11 / det;
        inverse[4 * i + 1] = -a01 / det;
        inverse[4 * i + 2] = -a10 / det;
        inverse[4 * i + 3] = a00 / det;
        halfX[i] = radius * Math.hypot(a00, a01);
        halfY[i] = radius * Math.hypot(a10, a11);
      }
    }

    /**
     * Near the poles of a geographic raster: the pixel window of the spherical cap of angular
     * radius alpha (all longitudes when the cap holds a pole).
     */
    private void sphericalWindow(int i, double[] l) {
      double alphaDegrees = Math.toDegrees(angularRadius[i]);
      double south = Math.max(-90, lat0[i] - alphaDegrees);
      double north = Math.min(90, lat0[i] + alphaDegrees);
      boolean pole = south <= -90 || north >= 90;
      double halfLon =
          pole
              ? 180
              : Math.toDegrees(
                  Math.asin(
                      Math.min(1, Math.sin(angularRadius[i]) / Math.cos(Math.toRadians(lat0[i])))));
      double colMin = Double.POSITIVE_INFINITY;
      double colMax = Double.NEGATIVE_INFINITY;
      double rowMin = Double.POSITIVE_INFINITY;
      double rowMax = Double.NEGATIVE_INFINITY;
      for (double lon : new double[] {lon0[i] - halfLon, lon0[i] + halfLon}) {
        for (double lat : new double[] {south, north}) {
          double col = l[0] + l[1] * lon + l[2] * lat;
          double row = l[3] + l[4] * lon + l[5] * lat;
          colMin = Math.min(colMin, col);
          colMax = Math.max(colMax, col);
          rowMin = Math.min(rowMin, row);
          rowMax = Math.max(rowMax, row);
        }
      }
      gx[i] = l[0] + l[1] * lon0[i] + l[2] * lat0[i];
      gy[i] = l[3] + l[4] * lon0[i] + l[5] * lat0[i];
      long w = raster.width;
      long c0 = (long) Math.floor(colMin);
      long c1 = (long) Math.ceil(colMax);
      if (raster.wrapsLongitude) {
        if (c1 - c0 >= w) {
          c0 = 0;
          c1 = w - 1;
        }
      } else {
        c0 = Math.max(0, c0);
        c1 = Math.min(w - 1, c1);
      }
      window[4 * i] = c0;
      window[4 * i + 1] = c1;
      window[4 * i + 2] = Math.max(0, (long) Math.floor(rowMin));
      window[4 * i + 3] = Math.min(raster.height - 1, (long) Math.ceil(rowMax));
    }

    private int selectSpherical(int i, int[] out) {
      double[] toLonLat = gridToLonLat;
      double phi0 = Math.toRadians(lat0[i]);
      double cosPhi0 = Math.cos(phi0);
      double threshold = Math.sin(angularRadius[i] / 2);
      threshold *= threshold;
      int w = raster.width;
      int n = 0;
      for (long row = window[4 * i + 2]; row <= window[4 * i + 3]; row++) {
        for (long col = window[4 * i]; col <= window[4 * i + 1]; col++) {
          double lon = toLonLat[0] + toLonLat[1] * col + toLonLat[2] * row;
          double lat = toLonLat[3] + toLonLat[4] * col + toLonLat[5] * row;
          double phi = Math.toRadians(lat);
          double sinHalfDLat = Math.sin((phi - phi0) / 2);
          double sinHalfDLon = Math.sin(Math.toRadians(lon - lon0[i]) / 2);
          // Haversine: hav(sigma) = hav(dphi) + cos(phi0) cos(phi) hav(dlambda).
          double hav =
              sinHalfDLat * sinHalfDLat + cosPhi0 * Math.cos(phi) * sinHalfDLon * sinHalfDLon;
          if (hav <= threshold) {
            int c = raster.wrapsLongitude ? (int) Math.floorMod(col, (long) w) : (int) col;
            out[n++] = (int) row * w + c;
          }
        }
      }
      return n;
    }

    int size() {
      return gx.length;
    }

    int[] ensureCapacity(int i, int[] scratch) {
      double cells =
          spherical[i]
              ? (window[4 * i + 1] - window[4 * i] + 1.0)
                  * (window[4 * i + 3] - window[4 * i + 2] + 1.0)
              : (2 * halfX[i] + 2) * (2 * halfY[i] + 2);
      if (!(cells <= scratch.length)) {
        long need = (long) Math.min(cells, (double) raster.width * raster.height + 1);
        if (need > scratch.length) {
          return new int[(int) Math.max(need, scratch.length)];
        }
      }
      return scratch;
    }

    /** Writes the row-major pixel indices of point i's buffer into out and returns their count. */
    int select(int i, int[] out) {
      double x = gx[i];
      double y = gy[i];
      int w = raster.width;
      int h = raster.height;
      if (Double.isNaN(x) || Double.isNaN(y) || Double.isNaN(halfX[i]) || Double.isNaN(halfY[i])) {
        return 0;
      }
      if (spherical[i]) {
        int n = selectSpherical(i, out);
        if (n == 0) {
          int k = raster.pixelIndex(x, y);
          if (k >= 0) {
            out[n++] = k;
          }
        }
        return n;
      }
      long rowMin = Math.max(0, (long) Math.ceil(y - halfY[i]));
      long rowMax = Math.min(h - 1, (long) Math.floor(y + halfY[i]));
      long colMin = (long) Math.ceil(x - halfX[i]);
      long colMax = (long) Math.floor(x + halfX[i]);
      if (!raster.wrapsLongitude) {
        colMin = Math.max(0, colMin);
        colMax = Math.min(w - 1, colMax);
      } else if (colMax - colMin >= w) {
        colMax = colMin + w - 1;
      }
      double b00 = inverse[4 * i];
      double b01 = inverse[4 * i + 1];
      double b10 = inverse[4 * i + 2];
      double b11 = inverse[4 * i + 3];
      int n = 0;
      for (long row = rowMin; row <= rowMax; row++) {
        double dy = row - y;
        for (long col = colMin; col <= colMax; col++) {
          double dx = col - x;
          double east = b00 * dx + b01 * dy;
          double north = b10 * dx + b11 * dy;
          if (east * east + north * north <= radiusSquared) {
            int c = raster.wrapsLongitude ? (int) Math.floorMod(col, (long) w) : (int) col;
            out[n++] = (int) row * w + c;
          }
        }
      }
      if (n == 0) {
        int k = raster.pixelIndex(x, y);
        if (k >= 0) {
          out[n++] = k;
        }
      }
      return n;
    }
  }

  static BufferStatistics statistics(float[] values, int[] indices, int n) {
    if (n == 0) {
      return BufferStatistics.EMPTY;
    }
    int valid = 0;
    double shift = Double.NaN;
    double sum = 0;
    double sumSquares = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      float v = values[indices[k]];
      if (!Float.isNaN(v)) {
        if (valid == 0) {
          shift = v;
        }
        double d = v - shift;
        sum += d;
        sumSquares += d * d;
        min = Math.min(min, v);
        max = Math.max(max, v);
        valid++;
      }
    }
    if (valid == 0) {
      return new BufferStatistics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, n);
    }
    double meanShifted = sum / valid;
    double variance = Math.max(0, sumSquares / valid - meanShifted * meanShifted);
    return new BufferStatistics(shift + meanShifted, Math.sqrt(variance), min, max, valid, n);
  }

  /** Row-major index of the pixel containing grid point (x, y), or -1 outside. */
  int pixelIndex(double x, double y) {
    if (!insideX(x) || !insideY(y)) {
      return -1;
    }
    long col = (long) Math.floor(x + 0.5);
    long row = (long) Math.floor(y + 0.5);
    if (wrapsLongitude) {
      col = Math.floorMod(col, (long) width);
    }
    return (int) (row * width + Math.min(col, width - 1));
  }

  private double nearest(float[] values, double x, double y) {
    int k = pixelIndex(x, y);
    return k < 0 ? Double.NaN : values[k];
  }

  private double bilinear(float[] values, double x, double y) {
    if (!insideX(x) || !insideY(y)) {
      return Double.NaN;
    }
    double cy = Math.max(0, Math.min(height - 1, y));
    int row0 = (int) Math.floor(cy);
    int row1 = Math.min(row0 + 1, height - 1);
    double fy = cy - row0;
    int col0;
    int col1;
    double fx;
    if (wrapsLongitude) {
      long c = (long) Math.floor(x);
      fx = x - c;
      col0 = (int) Math.floorMod(c, (long) width);
      col1 = (col0 + 1) % width;
    } else {
      double cx = Math.max(0, Math.min(width - 1, x));
      col0 = (int) Math.floor(cx);
      col1 = Math.min(col0 + 1, width - 1);
      fx = cx - col0;
    }
    double weighted = 0;
    double weights = 0;
    double[] w = {(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy};
    int[] k = {row0 * width + col0, row0 * width + col1, row1 * width + col0, row1 * width + col1};
    for (int j = 0; j < 4; j++) {
      float v = values[k[j]];
      if (w[j] > 0 && !Float.isNaN(v)) {
        weighted += w[j] * v;
        weights += w[j];
      }
    }
    if (weights == 0) {
      return values[pixelIndex(x, y)];
    }
    return weighted / weights;
  }

  private boolean insideX(double x) {
    return wrapsLongitude
        ? !Double.isNaN(x) && !Double.isInfinite(x)
        : x >= -0.5 && x < width - 0.5;
  }

  private boolean insideY(double y) {
    return y >= -0.5 && y < height - 0.5;
  }

  private void checkBand(int band) {
    if (band < 0 || band >= bands.length) {
      throw new IllegalArgumentException(
          "band index " + band + " out of range: raster has " + bands.length + " bands (0-based)");
    }
  }

  private boolean computeWrapsLongitude() {
    if (!(crs instanceof GeographicCRS)) {
      return false;
    }
    LonLatBox box = info.lonLatBounds();
    if (box == null || box.maxLon() - box.minLon() < 360.0 - 1e-6) {
      return false;
    }
    boolean latitudeFirst =
        crs.getCoordinateSystem().getAxis(0).getDirection() == AxisDirection.NORTH;
    double lonPerRow = latitudeFirst ? gridToCrs[5] : gridToCrs[2];
    return lonPerRow == 0;
  }

  static void transformInPlace(MathTransform transform, double[] pts) {
    int n = pts.length / 2;
    if (transform.isIdentity()) {
      return;
    }
    double[] copy = pts.clone();
    try {
      transform.transform(pts, 0, pts, 0, n);
    } catch (TransformException bulkFailure) {
      double[] one = new double[2];
      for (int i = 0; i < n; i++) {
        one[0] = copy[2 * i];
        one[1] = copy[2 * i + 1];
        try {
          transform.transform(one, 0, one, 0, 1);
          pts[2 * i] = one[0];
          pts[2 * i + 1] = one[1];
        } catch (TransformException pointFailure) {
          pts[2 * i] = Double.NaN;
          pts[2 * i + 1] = Double.NaN;
        }
      }
    }
  }

  private static double[] invert(double[] a) {
    double det = a[1] * a[5] - a[2] * a[4];
    if (det == 0 || !Double.isFinite(det)) {
      throw new IllegalArgumentException(
          "grid-to-CRS transform is singular: " + Arrays.toString(a));
    }
    double i11 = a[5] / det;
    double i12 = -a[2] / det;
    double i21 = -a[4] / det;
    double i22 = a[1] / det;
    return new double[] {
      -(i11 * a[0] + i12 * a[3]), i11, i12, -(i21 * a[0] + i22 * a[3]), i21, i22
    };
  }
}
