package io.terrafield.causal;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/**
 * The experiment behind the pooled boosted outcome model (issue 16): AIPW with boosting in the
 * nonlinear confounding design under outcome and propensity variants, on the simulation's own
 * seeds, and with the true propensity or outcome as oracles. Skipped unless run with {@code
 * -Dexp.reps=N} (e.g. 60: about 7 minutes on the shared machine). Variants: per-arm boosted outcome
 * models (base, the engine's setting before), pooled mu(a, x), a held-out linear recalibration of
 * the outcome predictions, learning rate 0.1, isotonic propensities, 300 propensity rounds at
 * learning rate 0.1.
 */
class AipwVariantsExperiment {
  static final String[] NAMES = {
    "base",
    "pooled",
    "recal",
    "eta0.1",
    "oracle-e",
    "oracle-mu",
    "pooled+recal",
    "eta0.1+recal",
    "iso",
    "ps300",
    "ps300+eta0.1",
    "pooled+ps300"
  };

  @Test
  void run() throws Exception {
    int reps = Integer.getInteger("exp.reps", 0);
    if (reps == 0) {
      return;
    }
    int from = Integer.getInteger("exp.from", 0);
    int v = NAMES.length;
    double[][] est = new double[v][reps];
    double[][] se = new double[v][reps];
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    java.util.List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
    for (int r = 0; r < reps; r++) {
      int rr = r;
      fs.add(
          pool.submit(
              () -> {
                one(from + rr, rr, est, se);
                return null;
              }));
    }
    for (var f : fs) f.get();
    pool.shutdown();
    for (int k = 0; k < v; k++) {
      double m = 0, s2 = 0, cov = 0, mse = 0;
      for (int r = 0; r < reps; r++) m += est[k][r] / reps;
      for (int r = 0; r < reps; r++) {
        s2 += (est[k][r] - m) * (est[k][r] - m) / (reps - 1);
        mse += se[k][r] / reps;
        if (Math.abs(est[k][r] - 1) < 1.959964 * se[k][r]) cov += 1.0 / reps;
      }
      System.out.printf(
          "EXP %-14s reps %d bias %+.2f%% sd %.4f meanSE %.4f cov %.3f%n",
          NAMES[k], reps, 100 * (m - 1), Math.sqrt(s2), mse, cov);
    }
  }

  static void one(int r, int slot, double[][] est, double[][] se) throws Exception {
    long seed = 4242L;
    Random random = new Random(seed + 104729L * r);
    int n = 1000;
    double[][] x = new double[n][5];
    int[] a = new int[n];
    double[] y = new double[n], e0 = new double[n], m0 = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 5; j++) x[i][j] = random.nextGaussian();
    }
    // column-major draw order as in ConfoundedSimulation: x[j][i] drawn row by row i, j inner
    for (int i = 0; i < n; i++) {
      double u = Math.min(x[i][0] * x[i][0], 4.0) - 1;
      double s = Math.sin(2 * x[i][1]);
      double score = 0.7 * u + 0.6 * s - 0.3 * x[i][2];
      m0[i] = 1.2 * u + 0.8 * s + 0.5 * x[i][2] + 0.25 * x[i][3];
      e0[i] = 1 / (1 + Math.exp(-score));
    }
    // redo the draw exactly like ConfoundedSimulation (interleaved)
    random = new Random(seed + 104729L * r);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 5; j++) x[i][j] = random.nextGaussian();
      double u = Math.min(x[i][0] * x[i][0], 4.0) - 1;
      double s = Math.sin(2 * x[i][1]);
      double score = 0.7 * u + 0.6 * s - 0.3 * x[i][2];
      m0[i] = 1.2 * u + 0.8 * s + 0.5 * x[i][2] + 0.25 * x[i][3];
      e0[i] = 1 / (1 + Math.exp(-score));
      a[i] = random.nextDouble() < e0[i] ? 1 : 0;
      y[i] = a[i] + m0[i] + random.nextGaussian();
    }
    int folds = 5;
    int[] fold = EffectEngine.stratifiedFolds(a, folds, seed + r);
    double[] ps = new double[n];
    double[] ps3 = new double[n];
    double[][] mu1 = new double[4][n], mu0 = new double[4][n]; // base, pooled, eta0.1
    for (int k = 0; k < folds; k++) {
      int[] tr = idx(fold, k, false, a, -1), te = idx(fold, k, true, a, -1);
      double[][] xte = rows(x, te);
      double[] p = fit(rows(x, tr), lab(a, tr), "binary:logistic", 2, 100, 0.05).predict(xte);
      for (int t = 0; t < te.length; t++) ps[te[t]] = p[t];
      double[] p3 = fit(rows(x, tr), lab(a, tr), "binary:logistic", 2, 300, 0.1).predict(xte);
      for (int t = 0; t < te.length; t++) ps3[te[t]] = p3[t];
      for (int arm = 0; arm < 2; arm++) {
        int[] tra = idx(fold, k, false, a, arm);
        double[] yy = new double[tra.length];
        for (int t = 0; t < tra.length; t++) yy[t] = y[tra[t]];
        double[] pb = fit(rows(x, tra), f(yy), "reg:squarederror", 3, 300, 0.05).predict(xte);
        double[] pe = fit(rows(x, tra), f(yy), "reg:squarederror", 3, 300, 0.1).predict(xte);
        for (int t = 0; t < te.length; t++) {
          (arm == 1 ? mu1 : mu0)[0][te[t]] = pb[t];
          (arm == 1 ? mu1 : mu0)[2][te[t]] = pe[t];
        }
      }
      double[][] xa = new double[tr.length][6];
      double[] yy = new double[tr.length];
      for (int t = 0; t < tr.length; t++) {
        System.arraycopy(x[tr[t]], 0, xa[t], 0, 5);
        xa[t][5] = a[tr[t]];
        yy[t] = y[tr[t]];
      }
      BoostedFit pooled = fit(xa, f(yy), "reg:squarederror", 3, 300, 0.05);
      for (int arm = 0; arm < 2; arm++) {
        double[][] xq = new double[te.length][6];
        for (int t = 0; t < te.length; t++) {
          System.arraycopy(x[te[t]], 0, xq[t], 0, 5);
          xq[t][5] = arm;
        }
        double[] pp = pooled.predict(xq);
        for (int t = 0; t < te.length; t++) (arm == 1 ? mu1 : mu0)[1][te[t]] = pp[t];
      }
    }
    double[] e = PlattScaling.fit(ps, a).apply(ps);
    for (int i = 0; i < n; i++) e[i] = Math.min(Math.max(e[i], 0.01), 0.99);
    double[] m1true = new double[n];
    for (int i = 0; i < n; i++) m1true[i] = m0[i] + 1;
    // variants
    double[][] rc1 = {recal(mu1[0], y, a, 1), recal(mu1[1], y, a, 1), recal(mu1[2], y, a, 1)};
    double[][] rc0 = {recal(mu0[0], y, a, 0), recal(mu0[1], y, a, 0), recal(mu0[2], y, a, 0)};
    aipw(0, slot, mu1[0], mu0[0], e, y, a, est, se);
    aipw(1, slot, mu1[1], mu0[1], e, y, a, est, se);
    aipw(2, slot, rc1[0], rc0[0], e, y, a, est, se);
    aipw(3, slot, mu1[2], mu0[2], e, y, a, est, se);
    aipw(4, slot, mu1[0], mu0[0], e0, y, a, est, se);
    aipw(5, slot, m1true, m0, e, y, a, est, se);
    aipw(6, slot, rc1[1], rc0[1], e, y, a, est, se);
    aipw(7, slot, rc1[2], rc0[2], e, y, a, est, se);
    double[] eiso = isotonic(ps, a);
    aipw(8, slot, mu1[0], mu0[0], eiso, y, a, est, se);
    double[] e3 = PlattScaling.fit(ps3, a).apply(ps3);
    for (int i = 0; i < n; i++) e3[i] = Math.min(Math.max(e3[i], 0.01), 0.99);
    aipw(9, slot, mu1[0], mu0[0], e3, y, a, est, se);
    aipw(10, slot, mu1[2], mu0[2], e3, y, a, est, se);
    aipw(11, slot, mu1[1], mu0[1], e3, y, a, est, se);
  }

  static double[] isotonic(double[] s, int[] a) {
    int n = s.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    java.util.Arrays.sort(order, (i, j) -> Double.compare(s[i], s[j]));
    double[] val = new double[n];
    double[] w = new double[n];
    int[] start = new int[n];
    int top = 0;
    for (int t = 0; t < n; t++) {
      val[top] = a[order[t]];
      w[top] = 1;
      start[top] = t;
      top++;
      while (top > 1 && val[top - 2] >= val[top - 1]) {
        double nw = w[top - 2] + w[top - 1];
        val[top - 2] = (val[top - 2] * w[top - 2] + val[top - 1] * w[top - 1]) / nw;
        w[top - 2] = nw;
        top--;
      }
    }
    double[] out = new double[n];
    for (int b = 0; b < top; b++) {
      int end = b + 1 < top ? start[b + 1] : n;
      for (int t = start[b]; t < end; t++) out[order[t]] = Math.min(Math.max(val[b], 0.01), 0.99);
    }
    return out;
  }

  static double[] recal(double[] mu, double[] y, int[] a, int arm) {
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int c = 0;
    for (int i = 0; i < y.length; i++) {
      if (a[i] != arm) continue;
      sx += mu[i];
      sy += y[i];
      sxx += mu[i] * mu[i];
      sxy += mu[i] * y[i];
      c++;
    }
    double mx = sx / c, my = sy / c;
    double b = (sxy / c - mx * my) / (sxx / c - mx * mx);
    double[] out = new double[y.length];
    for (int i = 0; i < y.length; i++) out[i] = my + b * (mu[i] - mx);
    return out;
  }

  static void aipw(
      int k,
      int slot,
      double[] mu1,
      double[] mu0,
      double[] e,
      double[] y,
      int[] a,
      double[][] est,
      double[][] se) {
    int n = y.length;
    double[] psi = new double[n];
    double s = 0;
    for (int i = 0; i < n; i++) {
      psi[i] =
          mu1[i]
              - mu0[i]
              + a[i] * (y[i] - mu1[i]) / e[i]
              - (1 - a[i]) * (y[i] - mu0[i]) / (1 - e[i]);
      s += psi[i];
    }
    double th = s / n, v = 0;
    for (int i = 0; i < n; i++) v += (psi[i] - th) * (psi[i] - th);
    est[k][slot] = th;
    se[k][slot] = Math.sqrt(v / n / n);
  }

  record BoostedFit(Booster b, int p) {
    double[] predict(double[][] rows) throws Exception {
      DMatrix m = new DMatrix(flat(rows), rows.length, p, Float.NaN);
      float[][] pr = b.predict(m);
      m.dispose();
      double[] out = new double[rows.length];
      for (int i = 0; i < rows.length; i++) out[i] = pr[i][0];
      return out;
    }
  }

  static BoostedFit fit(double[][] x, float[] label, String obj, int depth, int rounds, double eta)
      throws Exception {
    Map<String, Object> params = new HashMap<>();
    params.put("objective", obj);
    params.put("max_depth", depth);
    params.put("eta", eta);
    params.put("subsample", 0.8);
    params.put("min_child_weight", 5);
    params.put("nthread", 1);
    params.put("seed", 7);
    params.put("verbosity", 0);
    DMatrix d = new DMatrix(flat(x), x.length, x[0].length, Float.NaN);
    d.setLabel(label);
    Booster b = XGBoost.train(d, params, rounds, new HashMap<>(), null, null);
    d.dispose();
    return new BoostedFit(b, x[0].length);
  }

  static float[] lab(int[] a, int[] idx) {
    float[] o = new float[idx.length];
    for (int t = 0; t < idx.length; t++) o[t] = a[idx[t]];
    return o;
  }

  static float[] f(double[] v) {
    float[] o = new float[v.length];
    for (int i = 0; i < v.length; i++) o[i] = (float) v[i];
    return o;
  }

  static float[] flat(double[][] x) {
    int p = x[0].length;
    float[] o = new float[x.length * p];
    for (int i = 0; i < x.length; i++) for (int j = 0; j < p; j++) o[i * p + j] = (float) x[i][j];
    return o;
  }

  static int[] idx(int[] fold, int k, boolean in, int[] a, int arm) {
    return java.util.stream.IntStream.range(0, fold.length)
        .filter(i -> (fold[i] == k) == in && (arm < 0 || a[i] == arm))
        .toArray();
  }

  static double[][] rows(double[][] x, int[] idx) {
    double[][] o = new double[idx.length][];
    for (int t = 0; t < idx.length; t++) o[t] = x[idx[t]];
    return o;
  }
}
