package io.terrafield.causal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The assumption check behind the label-free corrections: on the calibration pairs, fit
 *
 * <pre>
 *   prediction_i = m_s(i) + k label_i + gamma g_i + e_i
 * </pre>
 *
 * with g the treatment rule replicated on the calibration units and m_s a fixed effect per stratum
 * (country) when strata are given (a within-stratum OLS). LCC (Pettersson, Jerzak and Daoud 2025,
 * arXiv 2508.01341, the linear calibration correction) assumes the map sees the group only through
 * the label, i.e. gamma = 0; a group that the imagery shows (urbanity, a region) has gamma != 0,
 * and LCC then over-corrects the contrast by about gamma / k. Inverting the full fit gives the
 * group-adjusted correction Y~ = (Yhat - m - gamma A) / k, whose contrast is (theta_raw - gamma) /
 * k (an errors-in-variables correction with a known covariate, Fuller 1987, "Measurement Error
 * Models", section 1.2, applied per group).
 *
 * <p>Transfer is checked per stratum: gamma_s and k_s from the OLS within stratum s, and their
 * heterogeneity by Cochran's Q and I^2 = max(0, (Q - df) / Q) (Higgins and Thompson 2002,
 * Statistics in Medicine 21, eq. 9). Stateless; thread-safe.
 */
final class GroupCalibration {
  /** Pairs per group within a stratum needed for a stratum's gamma. */
  static final int MIN_GROUP = 5;

  /** Pairs within a stratum needed for a stratum's k. */
  static final int MIN_STRATUM = 20;

  private GroupCalibration() {}

  /**
   * The joint fit.
   *
   * @param slope k
   * @param slopeSe SE of k
   * @param intercept m (pooled level, for the corrected outcome's level)
   * @param gamma group effect (NaN without membership)
   * @param gammaSe SE of gamma
   */
  record Fit(double slope, double slopeSe, double intercept, double gamma, double gammaSe) {}

  /**
   * A per-stratum quantity and its heterogeneity.
   *
   * @param count strata that contributed
   * @param min smallest stratum value
   * @param max largest stratum value
   * @param i2 Higgins' I^2 (0 = homogeneous, near 1 = the strata disagree)
   * @param qPValue p-value of Cochran's Q
   */
  record Spread(int count, double min, double max, double i2, double qPValue) {
    static Spread none() {
      return new Spread(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
  }

  /** Within-strata OLS of prediction on label and (when given) membership. */
  static Fit fit(double[] p, double[] l, double[] g, String[] strata) {
    int n = p.length;
    double[] pd = demean(p, strata);
    double[] ld = demean(l, strata);
    double[] gd = g == null ? null : demean(g, strata);
    int fixedEffects = strata == null ? 1 : new java.util.HashSet<>(Arrays.asList(strata)).size();
    double sll = 0;
    double slg = 0;
    double sgg = 0;
    double slp = 0;
    double sgp = 0;
    for (int i = 0; i < n; i++) {
      sll += ld[i] * ld[i];
      slp += ld[i] * pd[i];
      if (gd != null) {
        slg += ld[i] * gd[i];
        sgg += gd[i] * gd[i];
        sgp += gd[i] * pd[i];
      }
    }
    double k;
    double gamma = Double.NaN;
    double varK;
    double varGamma = Double.NaN;
    if (gd == null || !(sgg > 1e-12)) {
      k = slp / sll;
      double sse = 0;
      for (int i = 0; i < n; i++) {
        double r = pd[i] - k * ld[i];
        sse += r * r;
      }
      double s2 = sse / Math.max(1, n - 1 - fixedEffects);
      varK = s2 / sll;
    } else {
      double det = sll * sgg - slg * slg;
      k = (sgg * slp - slg * sgp) / det;
      gamma = (sll * sgp - slg * slp) / det;
      double sse = 0;
      for (int i = 0; i < n; i++) {
        double r = pd[i] - k * ld[i] - gamma * gd[i];
        sse += r * r;
      }
      double s2 = sse / Math.max(1, n - 2 - fixedEffects);
      varK = s2 * sgg / det;
      varGamma = s2 * sll / det;
    }
    double mp = mean(p);
    double ml = mean(l);
    double mg = g == null || Double.isNaN(gamma) ? 0 : mean(g);
    double m = mp - k * ml - (Double.isNaN(gamma) ? 0 : gamma * mg);
    return new Fit(k, Math.sqrt(varK), m, gamma, Math.sqrt(varGamma));
  }

  /**
   * Per-stratum group effects gamma_s, each from the within-stratum OLS of prediction on label and
   * g (so a stratum's own slope k_s absorbs what the label explains), and their spread.
   */
  static Spread gammaSpread(double[] p, double[] l, double[] g, String[] strata) {
    List<double[]> estimates = new ArrayList<>();
    for (int[] members : byStratum(strata, p.length).values()) {
      int treated = 0;
      for (int i : members) {
        treated += g[i] == 1 ? 1 : 0;
      }
      if (treated < MIN_GROUP || members.length - treated < MIN_GROUP) {
        continue;
      }
      double[] ps = new double[members.length];
      double[] ls = new double[members.length];
      double[] gs = new double[members.length];
      for (int t = 0; t < members.length; t++) {
        ps[t] = p[members[t]];
        ls[t] = l[members[t]];
        gs[t] = g[members[t]];
      }
      Fit f = fit(ps, ls, gs, null);
      if (Double.isFinite(f.gamma()) && f.gammaSe() > 0) {
        estimates.add(new double[] {f.gamma(), f.gammaSe()});
      }
    }
    return spread(estimates);
  }

  /** Per-stratum slopes k_s and their spread. */
  static Spread slopeSpread(double[] p, double[] l, String[] strata) {
    List<double[]> estimates = new ArrayList<>();
    for (int[] members : byStratum(strata, p.length).values()) {
      if (members.length < MIN_STRATUM) {
        continue;
      }
      double[] ps = new double[members.length];
      double[] ls = new double[members.length];
      for (int t = 0; t < members.length; t++) {
        ps[t] = p[members[t]];
        ls[t] = l[members[t]];
      }
      CalibrationFit f = CalibrationFit.fitUnchecked(ps, ls, false);
      if (Double.isFinite(f.slope()) && f.slopeSe() > 0) {
        estimates.add(new double[] {f.slope(), f.slopeSe()});
      }
    }
    return spread(estimates);
  }

  /** Slopes on random halves of the pairs: {min, max} over {@code splits} halves. */
  static double[] halfSplitSlopes(double[] p, double[] l, int splits, long seed) {
    int n = p.length;
    java.util.Random random = new java.util.Random(seed);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int half = n / 2;
    if (half < 3) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double[] ps = new double[half];
    double[] ls = new double[half];
    for (int s = 0; s < splits; s++) {
      java.util.Collections.shuffle(Arrays.asList(order), random);
      for (int t = 0; t < half; t++) {
        ps[t] = p[order[t]];
        ls[t] = l[order[t]];
      }
      double k = CalibrationFit.fitUnchecked(ps, ls, false).slope();
      if (Double.isFinite(k)) {
        min = Math.min(min, k);
        max = Math.max(max, k);
      }
    }
    return new double[] {min, max};
  }

  private static Spread spread(List<double[]> estimates) {
    if (estimates.size() < 2) {
      if (estimates.size() == 1) {
        double v = estimates.get(0)[0];
        return new Spread(1, v, v, Double.NaN, Double.NaN);
      }
      return Spread.none();
    }
    double sw = 0;
    double swx = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double[] e : estimates) {
      double w = 1 / Math.max(e[1] * e[1], 1e-12);
      sw += w;
      swx += w * e[0];
      min = Math.min(min, e[0]);
      max = Math.max(max, e[0]);
    }
    double pooled = swx / sw;
    double q = 0;
    for (double[] e : estimates) {
      double w = 1 / Math.max(e[1] * e[1], 1e-12);
      q += w * (e[0] - pooled) * (e[0] - pooled);
    }
    int df = estimates.size() - 1;
    double i2 = q > 0 ? Math.max(0, (q - df) / q) : 0;
    double p =
        1
            - new org.hipparchus.distribution.continuous.ChiSquaredDistribution(df)
                .cumulativeProbability(q);
    return new Spread(estimates.size(), min, max, i2, p);
  }

  private static Map<String, int[]> byStratum(String[] strata, int n) {
    Map<String, List<Integer>> lists = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      lists.computeIfAbsent(strata == null ? "" : strata[i], s -> new ArrayList<>()).add(i);
    }
    Map<String, int[]> out = new LinkedHashMap<>();
    lists.forEach((s, m) -> out.put(s, m.stream().mapToInt(Integer::intValue).toArray()));
    return out;
  }

  private static double[] demean(double[] v, String[] strata) {
    double[] out = new double[v.length];
    for (int[] members : byStratum(strata, v.length).values()) {
      double m = 0;
      for (int i : members) {
        m += v[i];
      }
      m /= members.length;
      for (int i : members) {
        out[i] = v[i] - m;
      }
    }
    return out;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }
}
