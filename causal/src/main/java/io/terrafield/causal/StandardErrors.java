package io.terrafield.causal;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Variances of an asymptotically linear estimator theta - theta0 ~ (1/n) sum psi_i.
 *
 * <pre>
 * iid:      Var = sum psi_i^2 / n^2
 * cluster:  Var = G/(G-1) sum_g (sum_{i in g} psi_i)^2 / n^2         (Liang and Zeger 1986)
 * Conley:   Var = sum_i sum_j K(d_ij) psi_i psi_j / n^2, K(d) = max(0, 1 - d/c)   (Conley 1999)
 * multiplier bootstrap: theta*_b = theta + (1/n) sum_g xi_g sum_{i in g} psi_i, xi ~ N(0, 1)
 * critical value: z_{1-alpha/2}, or t_{G-1, 1-alpha/2} with G clusters (Cameron, Gelbach and
 *           Miller 2008; Cameron and Miller 2015, "A practitioner's guide to cluster-robust
 *           inference", J. Human Resources 50(2), section VI: CR1 variance with the G/(G-1)
 *           factor and T(G-1) critical values)
 * </pre>
 *
 * With fewer than {@link #FEW_CLUSTERS} clusters the estimate warns: Cameron and Miller (2015)
 * report over-rejection of cluster-robust Wald tests with normal critical values below about 30 to
 * 50 clusters; with t(G-1) values the rejection rates are much closer to nominal but the SE itself
 * stays very noisy. Fewer than 2 clusters are refused.
 *
 * <p>Stateless; thread-safe.
 */
final class StandardErrors {
  private static final double EARTH_RADIUS_KM = 6371.0088;

  /** Below this number of clusters a cluster-robust estimate carries a warning. */
  static final int FEW_CLUSTERS = 30;

  private StandardErrors() {}

  /**
   * The two-sided critical value for a CI at {@code level}: standard normal for {@code
   * degreesOfFreedom == 0}, Student t otherwise.
   */
  static double criticalValue(double level, int degreesOfFreedom) {
    double p = 0.5 + level / 2;
    if (degreesOfFreedom <= 0) {
      return new org.hipparchus.distribution.continuous.NormalDistribution(0, 1)
          .inverseCumulativeProbability(p);
    }
    return new org.hipparchus.distribution.continuous.TDistribution(degreesOfFreedom)
        .inverseCumulativeProbability(p);
  }

  static double influence(double[] psi) {
    double s = 0;
    for (double v : psi) {
      s += v * v;
    }
    return Math.sqrt(s) / psi.length;
  }

  /** Cluster sums of psi, in first-seen order of the labels. */
  static double[] clusterSums(double[] psi, String[] labels) {
    Map<String, Integer> index = new HashMap<>();
    double[] sums = new double[psi.length];
    for (int i = 0; i < psi.length; i++) {
      int g = index.computeIfAbsent(labels[i], k -> index.size());
      sums[g] += psi[i];
    }
    return java.util.Arrays.copyOf(sums, index.size());
  }

  static double cluster(double[] psi, String[] labels) {
    double[] sums = clusterSums(psi, labels);
    int g = sums.length;
    if (g < 2) {
      throw new CausalInputException(
          "cluster column has a single cluster ('"
              + labels[0]
              + "'): cluster-robust SEs need at least 2 clusters");
    }
    double s = 0;
    for (double v : sums) {
      s += v * v;
    }
    return Math.sqrt(s * g / (g - 1.0)) / psi.length;
  }

  /** Conley SE with a Bartlett kernel; NaN when the kernel sum is negative. */
  static double conley(double[] psi, double[] lat, double[] lon, double cutoffKm) {
    int n = psi.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (p, q) -> Double.compare(lat[p], lat[q]));
    double cutoffDeg = Math.toDegrees(cutoffKm / EARTH_RADIUS_KM);
    double s = 0;
    for (int u = 0; u < n; u++) {
      int i = order[u];
      s += psi[i] * psi[i];
      for (int v = u + 1; v < n; v++) {
        int j = order[v];
        if (lat[j] - lat[i] > cutoffDeg) {
          break;
        }
        double d = haversineKm(lat[i], lon[i], lat[j], lon[j]);
        if (d < cutoffKm) {
          s += 2 * (1 - d / cutoffKm) * psi[i] * psi[j];
        }
      }
    }
    return s > 0 ? Math.sqrt(s) / n : Double.NaN;
  }

  static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
    double p1 = Math.toRadians(lat1);
    double p2 = Math.toRadians(lat2);
    double dp = p2 - p1;
    double dl = Math.toRadians(lon2 - lon1);
    double h =
        Math.sin(dp / 2) * Math.sin(dp / 2)
            + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  /** Multiplier-bootstrap SE from (cluster) sums of psi. */
  static double multiplier(double[] groupSums, int n, int replications, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double sum = 0;
    double sumSq = 0;
    for (int b = 0; b < replications; b++) {
      double t = 0;
      for (double g : groupSums) {
        t += random.nextGaussian() * g;
      }
      t /= n;
      sum += t;
      sumSq += t * t;
    }
    double mean = sum / replications;
    return Math.sqrt(
        Math.max(0, sumSq / replications - mean * mean) * replications / (replications - 1.0));
  }

  static double standardDeviation(double[] values) {
    double mean = 0;
    int count = 0;
    for (double v : values) {
      if (Double.isFinite(v)) {
        mean += v;
        count++;
      }
    }
    mean /= count;
    double ss = 0;
    for (double v : values) {
      if (Double.isFinite(v)) {
        ss += (v - mean) * (v - mean);
      }
    }
    return Math.sqrt(ss / Math.max(1, count - 1));
  }
}
