package io.terrafield.api.forecasts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Online recalibration of the served intervals from the service's own verified forecasts.
 *
 * <p>A field fitted on a few days of history is fitted on everything it has, so its residuals are
 * in-sample and its intervals too narrow for the next hours (measured in ForecastsIT). Every issued
 * station forecast is therefore remembered, on the scale v = log1p(y) of the field's target
 * transform, as its median m and the uncalibrated 90 % and 95 % bounds. Once its target hour is
 * observed (value y), its normalised deviations are
 *
 * <pre>
 *   d_90 = (log1p(y) − m) / (u_90 − m)  if y is above the median, (m − log1p(y)) / (m − l_90) below
 *   d_95 likewise with the 95 % bounds,
 * </pre>
 *
 * and the interval stretched by c about the median on that scale covers y iff d ≤ c. For a horizon
 * band the factor c is chosen on the grid 0.5, 0.55, .., 8 to minimise (cov_90(c) − 0.90)² +
 * (cov_95(c) − 0.95)² over the band's verifications whose target lies in the last {@code window} of
 * data time (rolling split-conformal calibration of the interval scale: Papadopoulos et al. 2002,
 * "Inductive confidence machines for regression", ECML; with a recency window as in Barber et al.
 * 2023, "Conformal prediction beyond exchangeability", Ann. Statist. 51(2)). With fewer than
 * {@value #MIN_VERIFIED} verifications c = 1. The served quantiles are q' = expm1(m + c (log1p(q) −
 * m)): monotone, the median unchanged, never below 0.
 *
 * <p>Thread-safe (synchronized); memory is bounded by the window and by the pending forecasts of
 * the last 72 h of issues.
 */
public final class IntervalCalibration {

  /** Verifications a band needs before its factor leaves 1. */
  static final int MIN_VERIFIED = 30;

  /** Upper ends of the horizon bands (hours): 1, 2-3, 4-6, 7-12, 13-24, 25-48, 49-72. */
  private static final int[] BANDS = {1, 3, 6, 12, 24, 48, 72};

  private static final double[] FACTORS = factorGrid();

  private final Duration window;
  private final List<Pending> pending = new ArrayList<>();
  private final List<Deque<Verified>> verified = new ArrayList<>();
  private final double[] factors = new double[BANDS.length];

  /** An issued, not yet verified forecast on the log1p scale. */
  private record Pending(
      String station,
      Instant validTime,
      int band,
      double factor,
      double median,
      double lo90,
      double hi90,
      double lo95,
      double hi95) {}

  /** A verified forecast: its normalised deviations and the factor it was served with. */
  private record Verified(Instant validTime, double d90, double d95, double servedFactor) {}

  /**
   * Coverage of one horizon band over its window.
   *
   * @param lastHour the band's last horizon (hours)
   * @param verified verifications in the window
   * @param rawPicp90 coverage of the uncalibrated 90 % intervals
   * @param rawPicp95 coverage of the uncalibrated 95 % intervals
   * @param servedPicp90 coverage of the 90 % intervals as served (with the factor of their issue)
   * @param servedPicp95 coverage of the 95 % intervals as served
   * @param factor the factor applied to new issues
   */
  public record Band(
      int lastHour,
      int verified,
      double rawPicp90,
      double rawPicp95,
      double servedPicp90,
      double servedPicp95,
      double factor) {}

  IntervalCalibration(Duration window) {
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("calibration window must be positive, was " + window);
    }
    this.window = window;
    for (int b = 0; b < BANDS.length; b++) {
      verified.add(new ArrayDeque<>());
      factors[b] = 1.0;
    }
  }

  private static double[] factorGrid() {
    double[] grid = new double[151];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = 0.5 + 0.05 * i;
    }
    return grid;
  }

  private static int band(int horizon) {
    for (int b = 0; b < BANDS.length; b++) {
      if (horizon <= BANDS[b]) {
        return b;
      }
    }
    return BANDS.length - 1;
  }

  /** The factor for new forecasts at this horizon (hours, ≥ 1). */
  synchronized double factor(int horizon) {
    return factors[band(horizon)];
  }

  /**
   * Remembers an issued forecast with its uncalibrated quantiles at 2.5, 5, 50, 95 and 97.5 % and
   * the factor it is served with.
   */
  synchronized void issued(
      String station,
      Instant validTime,
      int horizon,
      double q025,
      double q05,
      double q50,
      double q95,
      double q975,
      double factor) {
    pending.add(
        new Pending(
            station,
            validTime,
            band(horizon),
            factor,
            log1p(q50),
            log1p(q05),
            log1p(q95),
            log1p(q025),
            log1p(q975)));
  }

  /**
   * Verifies the pending forecasts whose target is at or before {@code newest} against {@code
   * observed(station, time)} (null when not observed: the forecast is dropped), forgets
   * verifications older than the window and re-chooses the factors.
   */
  synchronized void verify(Instant newest, BiFunction<String, Instant, Double> observed) {
    Iterator<Pending> it = pending.iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (p.validTime.isAfter(newest)) {
        continue;
      }
      it.remove();
      Double y = observed.apply(p.station, p.validTime);
      if (y == null || y.isNaN()) {
        continue;
      }
      double v = log1p(y);
      double d90 = deviation(v, p.median, p.lo90, p.hi90);
      double d95 = deviation(v, p.median, p.lo95, p.hi95);
      verified.get(p.band).addLast(new Verified(p.validTime, d90, d95, p.factor));
    }
    Instant oldest = newest.minus(window);
    for (int b = 0; b < BANDS.length; b++) {
      Deque<Verified> deque = verified.get(b);
      deque.removeIf(x -> !x.validTime.isAfter(oldest));
      factors[b] = deque.size() < MIN_VERIFIED ? 1.0 : choose(deque);
    }
  }

  /** |v − m| in units of the half-width on v's side of the median (∞ for a zero half-width). */
  private static double deviation(double v, double median, double lo, double hi) {
    double half = v >= median ? hi - median : median - lo;
    double distance = Math.abs(v - median);
    if (distance == 0) {
      return 0;
    }
    return half > 0 ? distance / half : Double.POSITIVE_INFINITY;
  }

  private static double choose(Deque<Verified> deque) {
    int n = deque.size();
    double[] d90 = new double[n];
    double[] d95 = new double[n];
    int i = 0;
    for (Verified x : deque) {
      d90[i] = x.d90;
      d95[i++] = x.d95;
    }
    Arrays.sort(d90);
    Arrays.sort(d95);
    double best = 1.0;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (double c : FACTORS) {
      double loss =
          Math.pow((double) atMost(d90, c) / n - 0.90, 2)
              + Math.pow((double) atMost(d95, c) / n - 0.95, 2);
      if (loss < bestLoss - 1e-12) {
        bestLoss = loss;
        best = c;
      }
    }
    return best;
  }

  /** How many of the sorted values are ≤ c. */
  private static int atMost(double[] sorted, double c) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= c) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Per band: verifications in the window, raw and served coverage, the current factor. */
  synchronized List<Band> bands() {
    List<Band> out = new ArrayList<>();
    for (int b = 0; b < BANDS.length; b++) {
      Deque<Verified> deque = verified.get(b);
      int n = deque.size();
      int raw90 = 0;
      int raw95 = 0;
      int served90 = 0;
      int served95 = 0;
      for (Verified x : deque) {
        raw90 += x.d90 <= 1 ? 1 : 0;
        raw95 += x.d95 <= 1 ? 1 : 0;
        served90 += x.d90 <= x.servedFactor ? 1 : 0;
        served95 += x.d95 <= x.servedFactor ? 1 : 0;
      }
      out.add(
          new Band(
              BANDS[b],
              n,
              n == 0 ? Double.NaN : (double) raw90 / n,
              n == 0 ? Double.NaN : (double) raw95 / n,
              n == 0 ? Double.NaN : (double) served90 / n,
              n == 0 ? Double.NaN : (double) served95 / n,
              factors[b]));
    }
    return out;
  }

  /** The quantiles stretched by c about their median on the log1p scale (median kept). */
  static double[] stretch(double[] quantiles, double median, double c) {
    double m = log1p(median);
    double[] out = new double[quantiles.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.max(0, Math.expm1(m + c * (log1p(quantiles[i]) - m)));
    }
    return out;
  }

  /** log1p of a concentration; values below 0 (a field's lower tail) count as 0. */
  private static double log1p(double y) {
    return Math.log1p(Math.max(0, y));
  }
}
