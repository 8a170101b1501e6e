package io.terrafield.forecasting.eval;

import io.terrafield.forecasting.SpaceTimeSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference forecasts agencies already have, each with a predictive distribution.
 *
 * <ul>
 *   <li>persistence: the last observed value before the issue time; its distribution adds the
 *       empirical quantiles of the log-change {@code log1p(y_{t+k}) − log1p(y_t)} over the training
 *       period at the actual lead k (k grows when the newest values are missing);
 *   <li>seasonal-naive: the value one season earlier (same hour yesterday for hourly data, same
 *       weekday last week for daily data; further seasons back if missing), with the empirical
 *       log-change quantiles at that lag;
 *   <li>climatology: empirical quantiles per station × hour-of-day × month (hourly) or station ×
 *       month (daily) of the training period, pooled to station × month and station when a cell has
 *       fewer than 20 values.
 * </ul>
 */
final class Baselines {
  private Baselines() {}

  static ForecastModel persistence() {
    return new LogChangeModel("persistence", false);
  }

  static ForecastModel seasonalNaive() {
    return new LogChangeModel("seasonal-naive", true);
  }

  static ForecastModel climatology() {
    return new Climatology();
  }

  static double log1p(double y) {
    return Math.log1p(Math.max(0, y));
  }

  /** Last index before {@code issue} with an observed value at station s, or -1. */
  static int lastObserved(double[] row, int issue, int maxLookback) {
    for (int t = issue - 1; t >= Math.max(0, issue - maxLookback); t--) {
      if (!Double.isNaN(row[t])) {
        return t;
      }
    }
    return -1;
  }

  private static final class LogChangeModel implements ForecastModel {
    private final String name;
    private final boolean seasonal;
    private final Map<Integer, double[]> changeQuantiles = new HashMap<>();
    private double[][] trainValues;
    private int testStart;
    private int season;
    private Climatology fallback;

    LogChangeModel(String name, boolean seasonal) {
      this.name = name;
      this.seasonal = seasonal;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void prepare(SpaceTimeSeries observed, int testStart) {
      this.trainValues = observed.values();
      this.testStart = testStart;
      this.season = observed.hourly() ? 24 : 7;
      this.fallback = new Climatology();
      fallback.prepare(observed, testStart);
      changeQuantiles.clear();
    }

    /** Empirical quantiles of log-changes at lag k over the training period (cached). */
    private double[] quantilesAtLag(int lag) {
      int k = Math.min(lag, 60 * season);
      return changeQuantiles.computeIfAbsent(
          k,
          key -> {
            List<Double> changes = new ArrayList<>();
            int stride = Math.max(1, trainValues.length * testStart / 400_000);
            for (double[] row : trainValues) {
              for (int t = 0; t + key < testStart; t += stride) {
                if (!Double.isNaN(row[t]) && !Double.isNaN(row[t + key])) {
                  changes.add(log1p(row[t + key]) - log1p(row[t]));
                }
              }
            }
            double[] sorted = changes.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (sorted.length == 0) {
              sorted = new double[] {0};
            }
            return QuantileLevels.empirical(sorted);
          });
    }

    @Override
    public double[][][] forecast(SpaceTimeSeries observed, int issue, int[] horizons) {
      double[][] v = observed.values();
      double[][][] out = new double[horizons.length][v.length][];
      double[][][] climate = null;
      for (int s = 0; s < v.length; s++) {
        int last = lastObserved(v[s], issue, 90 * season);
        for (int h = 0; h < horizons.length; h++) {
          int target = issue + horizons[h] - 1;
          int reference = -1;
          if (seasonal) {
            int back = season * (int) Math.ceil(horizons[h] / (double) season);
            for (int r = target - back; r >= 0 && r >= target - back - 6 * season; r -= season) {
              if (!Double.isNaN(v[s][r])) {
                reference = r;
                break;
              }
            }
          }
          if (reference < 0) {
            reference = last;
          }
          if (reference < 0) {
            if (climate == null) {
              climate = fallback.forecast(observed, issue, horizons);
            }
            out[h][s] = climate[h][s];
            continue;
          }
          double base = log1p(v[s][reference]);
          double[] change = quantilesAtLag(target - reference);
          double[] q = new double[change.length];
          for (int k = 0; k < q.length; k++) {
            q[k] = Math.expm1(base + change[k]);
          }
          out[h][s] = q;
        }
      }
      return out;
    }
  }

  private static final class Climatology implements ForecastModel {
    private final Map<Long, double[]> cells = new HashMap<>();
    private SpaceTimeSeries grid;

    @Override
    public String name() {
      return "climatology";
    }

    private long key(int station, int month, int hour) {
      return ((long) station * 13 + month) * 25 + hour;
    }

    @Override
    public void prepare(SpaceTimeSeries observed, int testStart) {
      this.grid = observed;
      cells.clear();
      Map<Long, List<Double>> fine = new HashMap<>();
      Map<Long, List<Double>> monthly = new HashMap<>();
      Map<Long, List<Double>> station = new HashMap<>();
      double[][] v = observed.values();
      boolean hourly = observed.hourly();
      for (int t = 0; t < Math.min(testStart, observed.length()); t++) {
        var time = observed.time(t);
        int month = time.getMonthValue();
        int hour = hourly ? time.getHour() : 24;
        for (int s = 0; s < v.length; s++) {
          if (!Double.isNaN(v[s][t])) {
            fine.computeIfAbsent(key(s, month, hour), k -> new ArrayList<>()).add(v[s][t]);
            monthly.computeIfAbsent(key(s, month, 24), k -> new ArrayList<>()).add(v[s][t]);
            station.computeIfAbsent(key(s, 0, 24), k -> new ArrayList<>()).add(v[s][t]);
          }
        }
      }
      List<Double> all = new ArrayList<>();
      station.values().forEach(all::addAll);
      double[] global = sorted(all);
      for (int s = 0; s < v.length; s++) {
        for (int month = 1; month <= 12; month++) {
          for (int hour = 0; hour <= 24; hour++) {
            double[] values = sorted(fine.get(key(s, month, hour)));
            if (values.length < 20) {
              values = sorted(monthly.get(key(s, month, 24)));
            }
            if (values.length < 20) {
              values = sorted(station.get(key(s, 0, 24)));
            }
            if (values.length < 20) {
              values = global.length > 0 ? global : new double[] {0};
            }
            cells.put(key(s, month, hour), QuantileLevels.empirical(values));
          }
        }
      }
    }

    private static double[] sorted(List<Double> values) {
      if (values == null) {
        return new double[0];
      }
      double[] out = values.stream().mapToDouble(Double::doubleValue).toArray();
      Arrays.sort(out);
      return out;
    }

    @Override
    public double[][][] forecast(SpaceTimeSeries observed, int issue, int[] horizons) {
      double[][][] out = new double[horizons.length][observed.stations().size()][];
      for (int h = 0; h < horizons.length; h++) {
        var time = grid.time(issue + horizons[h] - 1);
        int hour = grid.hourly() ? time.getHour() : 24;
        for (int s = 0; s < out[h].length; s++) {
          out[h][s] = cells.get(key(s, time.getMonthValue(), hour));
        }
      }
      return out;
    }
  }
}
