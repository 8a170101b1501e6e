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
 * <p>Difference in means (iid): with psi_i = (Y_i - mean_a)/P(A=a) the influence variance is sum_a
 * SS_a / n_a^2, i.e. each arm's variance divided by n_a. {@link #neymanArmVariances} scales each
 * arm's part by n_a/(n_a - 1), giving Neyman's conservative variance s_1^2/n_1 + s_0^2/n_0 with the
 * unbiased sample variances (Neyman 1923; Imbens and Rubin 2015, Causal Inference for Statistics,
 * Social, and Biomedical Sciences, ch. 6, their V^neyman = s_c^2/N_c + s_t^2/N_t; the equation
 * number was not checked against the book), and {@link #welchDf} gives the Welch-Satterthwaite
 * degrees of freedom (Welch 1947, Biometrika 34; Satterthwaite 1946, Biometrics Bulletin 2) for its
 * t critical value.
 *
 * <p>With fewer than {@link #FEW_CLUSTERS} clusters the estimate warns: Cameron and Miller (2015)
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

  /**
   * Below this many units in the smaller arm every estimate carries a small-sample warning. At 30
   * per arm the Welch t critical value (df about 58) is 2 % above the normal one and the n_a - 1
   * divisor raises the SE by 1.7 %: the large-sample interval (n-divisor SE, z) covered 0.944 there
   * against 0.915 at 10 per arm and 0.798 at 3 and 5 (SmallSampleTest, normal outcomes, 2,000 and
   * 4,000 data sets). The same bound as {@link #FEW_CLUSTERS}.
   */
  static final int SMALL_ARM = 30;

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

  /**
   * The two-sided critical value for a CI at {@code level}: standard normal when {@code
   * degreesOfFreedom} is not a positive finite number, Student t (non-integer df allowed)
   * otherwise.
   */
  static double criticalValue(double level, double degreesOfFreedom) {
    if (!(degreesOfFreedom > 0) || Double.isInfinite(degreesOfFreedom)) {
      return criticalValue(level, 0);
    }
    return new org.hipparchus.distribution.continuous.TDistribution(degreesOfFreedom)
        .inverseCumulativeProbability(0.5 + level / 2);
  }

  /**
   * Per-arm parts {control, treated} of Neyman's variance: n_a/(n_a - 1) sum_{i: A_i = a} psi_i^2 /
   * n^2. For the difference in means (psi_i = (Y_i - mean_a)/P(A=a)) part a is s_a^2/n_a with the
   * unbiased sample variance s_a^2 (Imbens and Rubin 2015, ch. 6, V^neyman).
   *
   * @throws CausalInputException when an arm has fewer than 2 units
   */
  static double[] neymanArmVariances(double[] psi, int[] a) {
    int n = psi.length;
    double[] sum = new double[2];
    int[] count = new int[2];
    for (int i = 0; i < n; i++) {
      sum[a[i]] += psi[i] * psi[i];
      count[a[i]]++;
    }
    double[] parts = new double[2];
    for (int arm = 0; arm < 2; arm++) {
      if (count[arm] < 2) {
        throw new CausalInputException(
            "the "
                + (arm == 1 ? "treated" : "control")
                + " arm has "
                + count[arm]
                + " unit"
                + (count[arm] == 1 ? "" : "s")
                + ": the Neyman variance needs at least 2 units in each arm");
      }
      parts[arm] = sum[arm] * count[arm] / (count[arm] - 1.0) / ((double) n * n);
    }
    return parts;
  }

  /** Neyman SE sqrt(s_1^2/n_1 + s_0^2/n_0), see {@link #neymanArmVariances}. */
  static double neyman(double[] psi, int[] a) {
    double[] v = neymanArmVariances(psi, a);
    return Math.sqrt(v[0] + v[1]);
  }

  /**
   * Welch-Satterthwaite degrees of freedom (v_1 + v_0 + extra)^2 / [v_1^2/(n_1 - 1) + v_0^2/(n_0 -
   * 1)] with v_a = s_a^2/n_a. {@code extra} is a variance counted as known (infinite df), e.g. the
   * calibration bootstrap's; with extra = 0 this is Welch's df.
   */
  static double welchDf(double[] armVariances, int treated, int control, double extra) {
    double v1 = armVariances[1];
    double v0 = armVariances[0];
    double total = v1 + v0 + extra;
    double denominator = v1 * v1 / (treated - 1.0) + v0 * v0 / (control - 1.0);
    return denominator > 0 ? total * total / denominator : Double.POSITIVE_INFINITY;
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
