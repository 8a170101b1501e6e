package io.terrafield.imagery.cli;

import io.terrafield.imagery.BufferStatistics;
import io.terrafield.imagery.GeoRaster;
import io.terrafield.imagery.LonLatBox;
import io.terrafield.imagery.RasterReadException;
import io.terrafield.imagery.Rasters;
import io.terrafield.imagery.SamplingMethod;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import org.apache.sis.coverage.grid.GridCoverage;
import org.apache.sis.geometry.DirectPosition2D;
import org.apache.sis.referencing.CRS;
import org.apache.sis.referencing.CommonCRS;
import org.apache.sis.referencing.GeodeticCalculator;
import org.apache.sis.storage.Aggregate;
import org.apache.sis.storage.DataStore;
import org.apache.sis.storage.DataStores;
import org.apache.sis.storage.GridCoverageResource;
import org.opengis.referencing.operation.MathTransform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code imagery bench}: points sampled per second and buffer statistics per second on random
 * points over a raster, against simple baselines in the same run: Apache SIS's per-point {@code
 * GridCoverage.evaluator()} for sampling, and a per-pixel geodesic-distance test (SIS {@code
 * GeodeticCalculator}) for buffers. Prints a table of medians over repeated runs.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmark point sampling and buffer statistics against simple baselines.")
final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--raster", required = true, paramLabel = "TIF", description = "GeoTIFF file")
  Path raster;

  @Option(
      names = "--points",
      defaultValue = "100000",
      description = "points per workload (default ${DEFAULT-VALUE})")
  int points;

  @Option(
      names = "--baseline-points",
      defaultValue = "10000",
      description = "points for the slow baselines (default ${DEFAULT-VALUE})")
  int baselinePoints;

  @Option(
      names = "--buffer-m",
      defaultValue = "10000",
      description = "buffer radius in metres (default ${DEFAULT-VALUE})")
  double bufferMetres;

  @Option(
      names = "--repeats",
      defaultValue = "5",
      description = "timed runs per method (default ${DEFAULT-VALUE})")
  int repeats;

  @Option(names = "--seed", defaultValue = "1", description = "random seed")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (points < 1 || baselinePoints < 1 || repeats < 1) {
      return ImageryCommand.fail(
          spec,
          "--points, --baseline-points and --repeats must be >= 1, got "
              + points
              + ", "
              + baselinePoints
              + ", "
              + repeats);
    }
    if (!(bufferMetres >= 0)) {
      return ImageryCommand.fail(spec, "--buffer-m must be >= 0, got " + bufferMetres);
    }
    PrintWriter out = spec.commandLine().getOut();
    long t0 = System.nanoTime();
    GeoRaster map;
    try {
      map = Rasters.open(raster);
    } catch (RasterReadException e) {
      return ImageryCommand.fail(spec, "--raster: " + e.getMessage() + " [" + e.reason() + "]");
    }
    double openSeconds = (System.nanoTime() - t0) / 1e9;
    LonLatBox box = map.info().lonLatBounds();
    Random random = new Random(seed);
    double[] lons = new double[points];
    double[] lats = new double[points];
    for (int i = 0; i < points; i++) {
      lons[i] = box.minLon() + random.nextDouble() * (box.maxLon() - box.minLon());
      lats[i] = box.minLat() + random.nextDouble() * (box.maxLat() - box.minLat());
    }
    int nb = Math.min(baselinePoints, points);
    double[] baseLons = Arrays.copyOf(lons, nb);
    double[] baseLats = Arrays.copyOf(lats, nb);

    double[][] nearest = new double[1][];
    double nearestSeconds =
        median(() -> (nearest[0] = map.sample(0, lons, lats, SamplingMethod.NEAREST)).length);
    double bilinearSeconds =
        median(() -> map.sample(0, lons, lats, SamplingMethod.BILINEAR).length);
    BufferStatistics[][] buffers = new BufferStatistics[1][];
    double bufferSeconds =
        median(() -> (buffers[0] = map.bufferStatistics(0, lons, lats, bufferMetres)).length);

    GridCoverage coverage = readCoverage(raster);
    GridCoverage.Evaluator evaluator = coverage.evaluator();
    evaluator.setNullIfOutside(true);
    double[] sisValues = new double[nb];
    double sisSeconds =
        median(
            () -> {
              DirectPosition2D p = new DirectPosition2D(CommonCRS.WGS84.normalizedGeographic());
              for (int i = 0; i < nb; i++) {
                p.x = baseLons[i];
                p.y = baseLats[i];
                double[] v = evaluator.apply(p);
                sisValues[i] = v == null ? Double.NaN : v[0];
              }
              return nb;
            });
    int nbBuffer = Math.max(1, nb / 10);
    double[] baselineMeans = new double[nbBuffer];
    GeodesicBufferBaseline baseline = new GeodesicBufferBaseline(map);
    double baselineBufferSeconds =
        median(
            () -> {
              for (int i = 0; i < nbBuffer; i++) {
                baselineMeans[i] = baseline.mean(baseLons[i], baseLats[i], bufferMetres);
              }
              return nbBuffer;
            });

    int nearestAgree = 0;
    for (int i = 0; i < nb; i++) {
      double a = nearest[0][i];
      if (Double.compare(a, sisValues[i]) == 0
          || Math.abs(a - sisValues[i]) <= 1e-6 * Math.abs(a)) {
        nearestAgree++;
      }
    }
    int bufferAgree = 0;
    double worst = 0;
    for (int i = 0; i < nbBuffer; i++) {
      double a = buffers[0][i].mean();
      double b = baselineMeans[i];
      if (Double.isNaN(a) && Double.isNaN(b)) {
        bufferAgree++;
      } else if (!Double.isNaN(a) && !Double.isNaN(b)) {
        double rel = Math.abs(a - b) / Math.max(1e-12, Math.abs(b));
        worst = Math.max(worst, Math.abs(a - b));
        bufferAgree += rel <= 1e-6 ? 1 : 0;
      }
    }

    out.printf(
        Locale.ROOT,
        "raster %s: %s, %d x %d, %d band(s); opened and read in %.2f s%n",
        raster.getFileName(),
        map.info().crsCode(),
        map.width(),
        map.height(),
        map.bandCount(),
        openSeconds);
    out.printf(
        Locale.ROOT,
        "workload: %d uniform random points in lon [%.3f, %.3f] lat [%.3f, %.3f], seed %d; "
            + "buffer %.0f m; median of %d runs%n",
        points,
        box.minLon(),
        box.maxLon(),
        box.minLat(),
        box.maxLat(),
        seed,
        bufferMetres,
        repeats);
    out.printf(
        Locale.ROOT,
        "%-44s %9s %11s %14s %9s%n",
        "method",
        "points",
        "median s",
        "points/s",
        "speed-up");
    double sisRate = nb / sisSeconds;
    double baseBufferRate = nbBuffer / baselineBufferSeconds;
    row(out, "nearest, GeoRaster bulk", points, nearestSeconds, sisRate);
    row(out, "bilinear, GeoRaster bulk", points, bilinearSeconds, sisRate);
    row(out, "baseline: SIS GridCoverage.evaluator per point", nb, sisSeconds, sisRate);
    row(out, "buffer stats, GeoRaster (tangent-plane)", points, bufferSeconds, baseBufferRate);
    row(
        out,
        "baseline: buffer by per-pixel geodesic",
        nbBuffer,
        baselineBufferSeconds,
        baseBufferRate);
    out.printf(
        Locale.ROOT,
        "agreement: nearest equals SIS evaluator at %d/%d points; buffer mean equals the geodesic "
            + "baseline (rel. 1e-6) at %d/%d points, largest difference %.3g%n",
        nearestAgree,
        nb,
        bufferAgree,
        nbBuffer,
        worst);
    out.flush();
    return 0;
  }

  private void row(PrintWriter out, String name, int n, double seconds, double baselineRate) {
    double rate = n / seconds;
    out.printf(
        Locale.ROOT,
        "%-44s %9d %11.5f %14.0f %8.1fx%n",
        name,
        n,
        seconds,
        rate,
        rate / baselineRate);
  }

  private double median(IntSupplier work) {
    work.getAsInt();
    double[] seconds = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      long start = System.nanoTime();
      work.getAsInt();
      seconds[r] = (System.nanoTime() - start) / 1e9;
    }
    Arrays.sort(seconds);
    return repeats % 2 == 1
        ? seconds[repeats / 2]
        : (seconds[repeats / 2 - 1] + seconds[repeats / 2]) / 2;
  }

  private static GridCoverage readCoverage(Path file) throws Exception {
    try (DataStore store = DataStores.open(file)) {
      GridCoverageResource resource =
          (GridCoverageResource) ((Aggregate) store).components().iterator().next();
      GridCoverage coverage = resource.read(null).forConvertedValues(true);
      coverage.render(null).getData();
      return coverage;
    }
  }

  /**
   * The obvious way to compute a buffer mean: bound the buffer in degrees, then for every pixel
   * centre in the bound transform it to WGS84 one at a time and keep it when its geodesic distance
   * (Karney, via SIS) is at most the radius.
   */
  static final class GeodesicBufferBaseline {
    private final GeoRaster map;
    private final double[] affine;
    private final MathTransform toLonLat;
    private final MathTransform fromLonLat;
    private final GeodeticCalculator calculator =
        GeodeticCalculator.create(CommonCRS.WGS84.geographic());
    private final float[] values;

    GeodesicBufferBaseline(GeoRaster map) throws Exception {
      this.map = map;
      this.affine = map.gridToCrs();
      this.toLonLat =
          CRS.findOperation(map.crs(), CommonCRS.WGS84.normalizedGeographic(), null)
              .getMathTransform();
      this.fromLonLat = toLonLat.inverse();
      this.values = map.bandValues(0);
    }

    double mean(double lon, double lat, double radius) {
      double dLat = Math.toDegrees(radius / 6_335_000.0) * 1.01;
      double dLon = dLat / Math.max(0.01, Math.cos(Math.toRadians(Math.abs(lat) + dLat)));
      int[] colRange = {Integer.MAX_VALUE, Integer.MIN_VALUE};
      int[] rowRange = {Integer.MAX_VALUE, Integer.MIN_VALUE};
      for (double[] corner :
          new double[][] {
            {lon - dLon, lat - dLat}, {lon + dLon, lat - dLat},
            {lon - dLon, lat + dLat}, {lon + dLon, lat + dLat},
            {lon, lat - dLat}, {lon, lat + dLat}
          }) {
        double[] g = gridOf(corner[0], corner[1]);
        colRange[0] = Math.min(colRange[0], (int) Math.floor(g[0]));
        colRange[1] = Math.max(colRange[1], (int) Math.ceil(g[0]));
        rowRange[0] = Math.min(rowRange[0], (int) Math.floor(g[1]));
        rowRange[1] = Math.max(rowRange[1], (int) Math.ceil(g[1]));
      }
      if (Math.abs(lat) + dLat >= 90) {
        colRange[0] = 0;
        colRange[1] = map.width() - 1;
      }
      calculator.setStartGeographicPoint(lat, lon);
      double sum = 0;
      int n = 0;
      double[] p = new double[2];
      for (int row = Math.max(0, rowRange[0]);
          row <= Math.min(map.height() - 1, rowRange[1]);
          row++) {
        for (int col = Math.max(0, colRange[0]);
            col <= Math.min(map.width() - 1, colRange[1]);
            col++) {
          p[0] = affine[0] + affine[1] * col + affine[2] * row;
          p[1] = affine[3] + affine[4] * col + affine[5] * row;
          try {
            toLonLat.transform(p, 0, p, 0, 1);
          } catch (Exception e) {
            continue;
          }
          calculator.setEndGeographicPoint(p[1], p[0]);
          if (calculator.getGeodesicDistance() <= radius) {
            float v = values[row * map.width() + col];
            if (!Float.isNaN(v)) {
              sum += v;
              n++;
            }
          }
        }
      }
      return n == 0 ? map.sample(0, lon, lat, SamplingMethod.NEAREST) : sum / n;
    }

    private double[] gridOf(double lon, double lat) {
      double[] p = {lon, Math.max(-89.9, Math.min(89.9, lat))};
      try {
        fromLonLat.transform(p, 0, p, 0, 1);
      } catch (Exception e) {
        return new double[] {0, 0};
      }
      double det = affine[1] * affine[5] - affine[2] * affine[4];
      double x = p[0] - affine[0];
      double y = p[1] - affine[3];
      return new double[] {
        (affine[5] * x - affine[2] * y) / det, (-affine[4] * x + affine[1] * y) / det
      };
    }
  }
}
