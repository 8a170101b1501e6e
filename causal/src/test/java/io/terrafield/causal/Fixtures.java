package io.terrafield.causal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Small synthetic studies for unit tests. */
final class Fixtures {
  private Fixtures() {}

  /** Confounded study: A ~ sigmoid(0.8 x1 - 0.5 x2), Y = tau A + x1 + 0.5 x2 + N(0,1). */
  static Map<String, double[]> confounded(int n, double tau, long seed) {
    Random random = new Random(seed);
    double[] x1 = new double[n];
    double[] x2 = new double[n];
    double[] a = new double[n];
    double[] y = new double[n];
    double[] lat = new double[n];
    double[] lon = new double[n];
    double[] region = new double[n];
    for (int i = 0; i < n; i++) {
      x1[i] = random.nextGaussian();
      x2[i] = random.nextGaussian();
      a[i] = random.nextDouble() < 1 / (1 + Math.exp(-(0.8 * x1[i] - 0.5 * x2[i]))) ? 1 : 0;
      y[i] = tau * a[i] + x1[i] + 0.5 * x2[i] + random.nextGaussian();
      lat[i] = 5 + 5 * random.nextDouble();
      lon[i] = 3 + 10 * random.nextDouble();
      region[i] = random.nextInt(40);
    }
    Map<String, double[]> columns = new LinkedHashMap<>();
    columns.put("a", a);
    columns.put("y", y);
    columns.put("x1", x1);
    columns.put("x2", x2);
    columns.put("lat", lat);
    columns.put("lon", lon);
    columns.put("region", region);
    return columns;
  }

  static UnitTable table(int n, double tau, long seed) {
    return UnitTable.ofNumeric(confounded(n, tau, seed));
  }
}
