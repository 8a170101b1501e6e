package io.terrafield.api.cli;

import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** The table of {@code terrafield serve bench}: one row per target, the first is the baseline. */
final class BenchTable {

  private BenchTable() {}

  static String format(List<OpenLoopLoad.Result> results, double rate) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "%-15s %7s %9s %9s %9s %9s %9s %7s %21s %10s%n",
            "target",
            "due",
            "ok/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "errors",
            "(non-2xx/fail/unsent)",
            "p99/base"));
    double base = results.isEmpty() ? Double.NaN : results.get(0).millis(99);
    for (OpenLoopLoad.Result r : results) {
      s.append(
          String.format(
              Locale.ROOT,
              "%-15s %7d %9.1f %9.1f %9.1f %9.1f %9.1f %7d %21s %10s%n",
              r.label(),
              r.due(),
              r.okRate(),
              r.millis(50),
              r.millis(95),
              r.millis(99),
              r.millis(100),
              r.errors(),
              r.refused() + "/" + r.failed() + "/" + r.unsent(),
              ratio(r.millis(99), base)));
    }
    for (OpenLoopLoad.Result r : results) {
      if (!r.statuses().isEmpty()) {
        s.append(r.label()).append(" non-2xx:");
        new TreeMap<>(r.statuses())
            .forEach((k, n) -> s.append(' ').append(k).append('=').append(n));
        s.append(System.lineSeparator());
      }
    }
    s.append(
        String.format(
            Locale.ROOT,
            "target rate %.0f/s; latency of the 2xx answers from each request's due time (open"
                + " loop); fail: timeout or connection error; unsent: too many outstanding; p99/base"
                + " = p99 / p99 of %s%n",
            rate,
            results.isEmpty() ? "-" : results.get(0).label()));
    return s.toString();
  }

  private static String ratio(double p99, double base) {
    return Double.isNaN(p99) || Double.isNaN(base) || base <= 0
        ? "-"
        : String.format(Locale.ROOT, "%.1fx", p99 / base);
  }
}
