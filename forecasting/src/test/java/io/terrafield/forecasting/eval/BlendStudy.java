package io.terrafield.forecasting.eval;

import io.terrafield.forecasting.serving.ReplayVerification;
import io.terrafield.forecasting.serving.ServedVerification;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Offline study of {@link QuantileBlend} on a {@code forecast replay-verify --dump} file of a
 * replay without the blend: streams the verified forecasts in the order the replay scored them
 * (every (p, h) before any (I, h) with I ≥ p + h), applies the blend with the production class and
 * scores the result with {@link ServedVerification}. Not a test; run by hand: {@code java -cp ...
 * io.terrafield.forecasting.eval.BlendStudy DUMP WINDOW_DAYS:HALF_LIFE ...} (HALF_LIFE 0: no
 * forgetting). The first issue of the dump is taken as the field's start.
 */
final class BlendStudy {
  private BlendStudy() {}

  public static void main(String[] args) throws IOException {
    List<QuantileBlend> blends = new ArrayList<>();
    List<ServedVerification> results = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Map<Long, double[]> scores = new HashMap<>();
    ServedVerification base = new ServedVerification();
    int[] start = {-1};
    double[][] weightSums = new double[args.length][73];
    long[][] weightCounts = new long[args.length][73];
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(new FileInputStream(args[0]), 1 << 20))) {
      int issue = -1;
      int lead = -1;
      List<float[]> served = new ArrayList<>();
      List<float[]> pers = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      while (true) {
        int i;
        int h;
        int s;
        float y;
        float[] a = new float[199];
        float[] b = new float[199];
        boolean eof = false;
        try {
          i = in.readInt();
          h = in.readShort();
          s = in.readShort();
          y = in.readFloat();
          for (int k = 0; k < 199; k++) {
            a[k] = in.readFloat();
          }
          for (int k = 0; k < 199; k++) {
            b[k] = in.readFloat();
          }
        } catch (EOFException e) {
          eof = true;
          i = -2;
          h = -2;
          s = 0;
          y = 0;
        }
        if ((i != issue || h != lead) && issue >= 0) {
          // a complete (issue, lead) group
          if (start[0] < 0) {
            start[0] = issue;
            for (int v = 1; v < args.length; v++) {
              String[] p = args[v].split(":");
              if (p[0].equals("fix") || p[0].equals("geo")) {
                blends.add(null);
                results.add(new ServedVerification());
                names.add(args[v]);
                continue;
              }
              double half = Double.parseDouble(p[1]);
              blends.add(
                  new QuantileBlend(
                      (pi, hi) ->
                          scores.getOrDefault(
                              ((long) pi << 20) | hi, new double[QuantileBlend.WEIGHTS.length + 1]),
                      start[0],
                      24,
                      Integer.parseInt(p[0]),
                      half <= 0 ? Double.POSITIVE_INFINITY : half));
              results.add(new ServedVerification());
              names.add(args[v]);
            }
          }
          int n = ys.size();
          double[][] f = new double[n][];
          double[][] p = new double[n][];
          double[] yv = new double[n];
          for (int k = 0; k < n; k++) {
            f[k] = toDouble(served.get(k));
            p[k] = toDouble(pers.get(k));
            yv[k] = ys.get(k);
            base.add(lead, f[k], p[k], yv[k]);
          }
          for (int v = 0; v < blends.size(); v++) {
            double w;
            if (blends.get(v) == null) {
              String[] fx = names.get(v).split(":");
              w = lead >= Integer.parseInt(fx[2]) ? Double.parseDouble(fx[1]) : 1.0;
            } else {
              w = blends.get(v).weight(issue, lead);
            }
            weightSums[v][lead] += w;
            weightCounts[v][lead]++;
            for (int k = 0; k < n; k++) {
              double[] q =
                  names.get(v).startsWith("geo")
                      ? QuantileBlend.combineLog(f[k], p[k], w)
                      : QuantileBlend.combine(f[k], p[k], w);
              results.get(v).add(lead, q, p[k], yv[k]);
            }
          }
          scores.put(((long) issue << 20) | lead, QuantileBlend.scores(f, p, yv, true));
          served.clear();
          pers.clear();
          ys.clear();
        }
        if (eof) {
          break;
        }
        issue = i;
        lead = h;
        served.add(a);
        pers.add(b);
        ys.add((double) y);
      }
    }
    System.out.println("## " + args[0] + ": as served (no blend)");
    System.out.print(ReplayVerification.table(base));
    System.out.println(ReplayVerification.meetsTargets(base) ? "MEETS" : "fails");
    for (int v = 0; v < results.size(); v++) {
      System.out.println("## blend window:half-life " + names.get(v));
      System.out.print(ReplayVerification.table(results.get(v)));
      System.out.println(ReplayVerification.meetsTargets(results.get(v)) ? "MEETS" : "fails");
      StringBuilder sb = new StringBuilder("mean w at leads 1,3,6,12,24,48,72:");
      for (int h : new int[] {1, 3, 6, 12, 24, 48, 72}) {
        sb.append(
            String.format(
                Locale.ROOT, " %.2f", weightSums[v][h] / Math.max(1, weightCounts[v][h])));
      }
      System.out.println(sb);
    }
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int k = 0; k < d.length; k++) {
      d[k] = f[k];
    }
    return d;
  }
}
