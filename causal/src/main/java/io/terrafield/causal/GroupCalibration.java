package io.terrafield.causal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

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
 * Statistics in Medicine 21, eq. 9).
 *
 * <p>{@link #heldOut} replays the transfer itself on the calibration pairs (leave one stratum out,
 * as in leave-one-group-out cross-validation, Hastie, Tibshirani and Friedman 2009, section 7.10):
 * for each stratum s holding both groups, the contrast of the group means of the predictions in s
 * (raw), divided by k fitted on the other strata (LCC), and with gamma and k fitted on the other
 * strata (lcc-group), against the contrast of the labels in s. Stateless; thread-safe.
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
    if (g != null && Arrays.stream(g).anyMatch(Double::isNaN)) {
      int[] keep = IntStream.range(0, g.length).filter(i -> !Double.isNaN(g[i])).toArray();
      if (keep.length < 3) {
        return new Fit(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      }
      return fit(
          select(p, keep),
          select(l, keep),
          select(g, keep),
          strata == null
              ? null
              : IntStream.of(keep).mapToObj(i -> strata[i]).toArray(String[]::new));
    }
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
      int control = 0;
      for (int i : members) {
        treated += g[i] == 1 ? 1 : 0;
        control += g[i] == 0 ? 1 : 0;
      }
      if (treated < MIN_GROUP || control < MIN_GROUP) {
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

  /**
   * Mean absolute errors of the held-out contrasts (see the class comment).
   *
   * @param count strata with at least {@value #MIN_GROUP} pairs in each group, each held out once
   * @param maeRaw raw contrast of the predictions against the labels' contrast
   * @param maeLcc raw / k of the other strata
   * @param maeLccGroup (raw - gamma) / k of the other strata (NaN when gamma is not identified)
   */
  record HeldOut(int count, double maeRaw, double maeLcc, double maeLccGroup) {
    static HeldOut none() {
      return new HeldOut(0, Double.NaN, Double.NaN, Double.NaN);
    }
  }

  /** Leave-one-stratum-out replay of the corrections on the calibration pairs. */
  static HeldOut heldOut(double[] p, double[] l, double[] g, String[] strata) {
    Map<String, int[]> groups = byStratum(strata, p.length);
    int count = 0;
    double raw = 0;
    double lcc = 0;
    double group = 0;
    for (Map.Entry<String, int[]> e : groups.entrySet()) {
      int[] members = e.getValue();
      double[] sum = new double[4];
      int treated = 0;
      int control = 0;
      for (int i : members) {
        if (g[i] == 1) {
          sum[0] += p[i];
          sum[1] += l[i];
          treated++;
        } else if (g[i] == 0) {
          sum[2] += p[i];
          sum[3] += l[i];
          control++;
        }
      }
      if (treated < MIN_GROUP || control < MIN_GROUP) {
        continue;
      }
      int rest = p.length - members.length;
      double[] pr = new double[rest];
      double[] lr = new double[rest];
      double[] gr = new double[rest];
      String[] sr = new String[rest];
      int t = 0;
      for (int i = 0; i < p.length; i++) {
        if (!strata[i].equals(e.getKey())) {
          pr[t] = p[i];
          lr[t] = l[i];
          gr[t] = g[i];
          sr[t++] = strata[i];
        }
      }
      double contrast = sum[0] / treated - sum[2] / control;
      double truth = sum[1] / treated - sum[3] / control;
      Fit plain = fit(pr, lr, null, sr);
      Fit joint = fit(pr, lr, gr, sr);
      raw += Math.abs(contrast - truth);
      lcc += Math.abs(contrast / plain.slope() - truth);
      group +=
          Double.isFinite(joint.gamma())
              ? Math.abs((contrast - joint.gamma()) / joint.slope() - truth)
              : Double.NaN;
      count++;
    }
    return count == 0
        ? HeldOut.none()
        : new HeldOut(count, raw / count, lcc / count, group / count);
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

  private static double[] select(double[] v, int[] keep) {
    double[] out = new double[keep.length];
    for (int t = 0; t < keep.length; t++) {
      out[t] = v[keep[t]];
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
