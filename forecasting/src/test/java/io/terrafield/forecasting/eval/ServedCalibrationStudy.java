package io.terrafield.forecasting.eval;

import io.terrafield.forecasting.serving.ReplayVerification;
import io.terrafield.forecasting.serving.ServedVerification;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Offline study of an online coverage correction of the served (blended) intervals on a {@code
 * forecast replay-verify --dump} file of a replay without the blend: per lead, the served quantiles
 * of {@link QuantileBlend#serve} are scaled about their median on the log1p scale by d(I, h) =
 * exp(η Σ_{p ≤ I − h} e(p, h)), e = (miss90 − 0.10) + (miss95 − 0.05) of the corrected served
 * intervals at p (the recursion of {@code OnlineIntervalCalibration}, fed by the served misses).
 * Not a test; run by hand: {@code java -cp ... ServedCalibrationStudy DUMP FROM_LEAD ETA...}.
 */
final class ServedCalibrationStudy {
  private ServedCalibrationStudy() {}

  public static void main(String[] args) throws IOException {
    int fromLead = Integer.parseInt(args[1]);
    int variants = args.length - 2;
    double[] eta = new double[variants];
    boolean[] narrowOnly = new boolean[variants];
    ServedVerification[] results = new ServedVerification[variants];
    // per variant and lead: the error sums by issue (cumulative), keyed by issue
    List<java.util.TreeMap<Integer, Double>> cum = new ArrayList<>();
    double[][] dSum = new double[variants][73];
    long[][] dN = new long[variants][73];
    for (int v = 0; v < variants; v++) {
      narrowOnly[v] = args[v + 2].startsWith("n");
      eta[v] = Double.parseDouble(args[v + 2].replace("n", ""));
      results[v] = new ServedVerification();
    }
    java.util.Map<Long, java.util.TreeMap<Integer, Double>> sums = new java.util.HashMap<>();
    // -Dstudy.scoreFrom=K / -Dstudy.scoreTo=K: score only issues K hours after the first and before
    int scoreFrom = Integer.getInteger("study.scoreFrom", 0);
    int scoreTo = Integer.getInteger("study.scoreTo", Integer.MAX_VALUE);
    // -Dstudy.targetsBefore=K: score only forecasts whose target is less than K hours after the
    // first
    int targetsBefore = Integer.getInteger("study.targetsBefore", Integer.MAX_VALUE);
    int first = -1;
    ServedVerification blended = new ServedVerification();
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(new FileInputStream(args[0]), 1 << 20))) {
      int issue = -1;
      int lead = -1;
      List<double[]> served = new ArrayList<>();
      List<double[]> pers = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      while (true) {
        int i;
        int h;
        float y;
        double[] a = new double[199];
        double[] b = new double[199];
        boolean eof = false;
        try {
          i = in.readInt();
          h = in.readShort();
          in.readShort();
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
          y = 0;
        }
        if ((i != issue || h != lead) && issue >= 0) {
          first = first < 0 ? issue : first;
          boolean scored =
              issue - first >= scoreFrom
                  && issue - first < scoreTo
                  && issue - first + lead - 1 < targetsBefore;
          int n = ys.size();
          double[][] q = new double[n][];
          for (int k = 0; k < n; k++) {
            q[k] = QuantileBlend.serve(served.get(k), pers.get(k), lead);
            if (scored) {
              blended.add(lead, q[k], pers.get(k), ys.get(k));
            }
          }
          for (int v = 0; v < variants; v++) {
            double d = 1.0;
            if (lead >= fromLead) {
              java.util.TreeMap<Integer, Double> chain =
                  sums.computeIfAbsent(((long) v << 20) | lead, x -> new java.util.TreeMap<>());
              java.util.Map.Entry<Integer, Double> e = chain.floorEntry(issue - lead);
              d = Math.exp(eta[v] * (e == null ? 0 : e.getValue()));
              int miss90 = 0;
              int miss95 = 0;
              int observed = 0;
              for (int k = 0; k < n; k++) {
                double[] c = scaled(q[k], d);
                double yk = ys.get(k);
                observed++;
                miss90 += yk < c[QuantileLevels.Q05] || yk > c[QuantileLevels.Q95] ? 1 : 0;
                miss95 += yk < c[QuantileLevels.Q025] || yk > c[QuantileLevels.Q975] ? 1 : 0;
                if (scored) {
                  results[v].add(lead, c, pers.get(k), yk);
                }
              }
              double err =
                  observed == 0
                      ? 0
                      : (miss90 - 0.10 * observed) / observed
                          + (miss95 - 0.05 * observed) / observed;
              java.util.Map.Entry<Integer, Double> last = chain.lastEntry();
              double next = (last == null ? 0 : last.getValue()) + err;
              chain.put(issue, narrowOnly[v] ? Math.min(0, next) : next);
              dSum[v][lead] += d;
              dN[v][lead]++;
            } else {
              for (int k = 0; k < n && scored; k++) {
                results[v].add(lead, q[k], pers.get(k), ys.get(k));
              }
            }
          }
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
    System.out.println("## " + args[0] + ": served blend (log1p, w 0.5 from 13 h), no correction");
    System.out.print(ReplayVerification.table(blended));
    System.out.println(ReplayVerification.meetsTargets(blended) ? "MEETS" : "fails");
    for (int v = 0; v < variants; v++) {
      System.out.println(
          "## served correction from lead "
              + fromLead
              + ", eta "
              + eta[v]
              + (narrowOnly[v] ? " (narrow only)" : ""));
      System.out.print(ReplayVerification.table(results[v]));
      System.out.println(ReplayVerification.meetsTargets(results[v]) ? "MEETS" : "fails");
      StringBuilder sb = new StringBuilder("mean d at leads 13,24,48,72:");
      for (int h : new int[] {13, 24, 48, 72}) {
        sb.append(String.format(Locale.ROOT, " %.3f", dSum[v][h] / Math.max(1, dN[v][h])));
      }
      System.out.println(sb);
    }
  }

  /** q scaled about its median by d on the log1p scale. */
  static double[] scaled(double[] q, double d) {
    if (d == 1.0) {
      return q;
    }
    double m = Math.log1p(Math.max(0, q[QuantileLevels.MEDIAN]));
    double[] out = new double[q.length];
    for (int k = 0; k < q.length; k++) {
      out[k] = Math.expm1(m + d * (Math.log1p(Math.max(0, q[k])) - m));
    }
    return out;
  }
}
