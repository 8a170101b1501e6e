package io.terrafield.forecasting;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The interval factor c(I, h) of the forecasts issued at index I ≥ {@code start} (the first index
 * after the field's training window) for lead h: a split-conformal factor on the field's
 * out-of-sample forecasts, corrected online by the coverage errors of the factors already served.
 *
 * <pre>
 *   c(I, h) = c_w(I, h) · exp(η Σ_{p = start}^{I − h} e(p, h))
 *   e(p, h) = (miss90(p, h) − 0.10) + (miss95(p, h) − 0.05)
 * </pre>
 *
 * <ul>
 *   <li>c_w(I, h): the factor of least (PICP90 − 0.90)² + (PICP95 − 0.95)² ({@link
 *       IntervalCalibration.Counts}) over the forecasts issued at every step p in [max(start, I −
 *       W), I − h] (W = 30 days), all out of sample for the field and verified before I (split
 *       conformal; Vovk et al. 2005). With fewer than {@value #MIN_OUT_OF_SAMPLE} verifications
 *       (the first days after a fit at long leads) it falls back to the in-sample factor of the
 *       daily re-forecasts before {@code start}, which the field has seen and which under-covers.
 *   <li>The exponent is online quantile tracking on the log scale of the interval (adaptive
 *       conformal inference, Gibbs and Candès 2021, NeurIPS, eq. 2; in the scale form of the
 *       "quantile tracking" of Angelopoulos, Candès and Tibshirani 2023, Conformal PID control):
 *       miss90/miss95 are the shares of stations whose observation fell outside the served 90/95 %
 *       interval of issue p, known once its target (p + h − 1) is observed. Whatever the sequence,
 *       the long-run miss rates of the served intervals are pulled to 10 % and 5 % (their sum
 *       exactly), which the window factor alone does not do when the weather changes regime
 *       (Beijing's winter episodes). Step η = {@value #STEP}, chosen on the replay of 2016-01-01 ..
 *       01-24 (0.02 covered as well but put CRPS above persistence at 13-48 h; docs/forecasts.md).
 * </ul>
 *
 * c is snapped to the factor grid. Every quantity is a function of (I, h) and the observations
 * before I: evaluation (daily issues) and serving (hourly issues) get the same factor at the same
 * issue. Per lead, the recursion is computed once, step by step, and memoised. Not thread-safe.
 */
final class OnlineIntervalCalibration {
  /** η, the step of the online correction (log-factor per unit of coverage error per issue). */
  static final double STEP = 0.01;

  /** Out-of-sample verifications (station forecasts) needed before the window factor is used. */
  static final int MIN_OUT_OF_SAMPLE = 200;

  /** What the recursion reads: verifications, the shift selection and the in-sample fallback. */
  interface Source {
    /** Whether the residual shift is applied at (issue, lead) (variant 1, else 0). */
    boolean shifted(int issue, int lead);

    /** Smallest covering factor indices per station, 90 % interval ({@code MISSING}: absent). */
    byte[] g90(int issue, int lead, int variant);

    /** As {@link #g90}, 95 % interval. */
    byte[] g95(int issue, int lead, int variant);

    /** The in-sample window factor of (issue, lead, variant). */
    double inSampleFactor(int issue, int lead, int variant);
  }

  private final Source source;
  private final int start;
  private final int window;
  private final Map<Integer, Chain> chains = new HashMap<>();

  /**
   * @param start the first index after the field's training window (the first issue served)
   * @param windowSteps W, in steps of the grid
   */
  OnlineIntervalCalibration(Source source, int start, int windowSteps) {
    this.source = source;
    this.start = start;
    this.window = windowSteps;
  }

  /** c(issue, lead); {@code issue} must be ≥ start. */
  double factor(int issue, int lead) {
    if (issue < start) {
      throw new IllegalArgumentException("issue " + issue + " is before " + start);
    }
    Chain chain = chains.computeIfAbsent(lead, Chain::new);
    chain.advanceTo(issue);
    return IntervalCalibration.FACTORS[chain.index[issue - start]];
  }

  /** The recursion of one lead: the factor indices decided so far and the running state. */
  private final class Chain {
    final int lead;
    final IntervalCalibration.Counts[] counts = {
      new IntervalCalibration.Counts(), new IntervalCalibration.Counts()
    };
    int[] index = new int[256];
    byte[] variant = new byte[256];
    int next = start;
    int windowLo = start;
    int windowHi = start - 1;
    double errorSum;

    Chain(int lead) {
      this.lead = lead;
    }

    void advanceTo(int issue) {
      while (next <= issue) {
        decide(next++);
      }
    }

    private void decide(int p) {
      int hi = p - lead;
      while (windowHi < hi) {
        windowHi++;
        if (windowHi >= windowLo) {
          add(windowHi, true);
        }
      }
      int lo = Math.max(start, p - window);
      while (windowLo < lo) {
        if (windowLo <= windowHi) {
          add(windowLo, false);
        }
        windowLo++;
      }
      if (hi >= start) {
        errorSum += error(hi);
      }
      int v = source.shifted(p, lead) ? 1 : 0;
      double base =
          counts[v].n() >= MIN_OUT_OF_SAMPLE
              ? counts[v].factor()
              : source.inSampleFactor(p, lead, v);
      if (p - start >= index.length) {
        index = Arrays.copyOf(index, index.length * 2);
        variant = Arrays.copyOf(variant, variant.length * 2);
      }
      index[p - start] = IntervalCalibration.nearestIndex(base * Math.exp(STEP * errorSum));
      variant[p - start] = (byte) v;
    }

    private void add(int p, boolean add) {
      for (int v = 0; v < 2; v++) {
        if (add) {
          counts[v].add(source.g90(p, lead, v), source.g95(p, lead, v));
        } else {
          counts[v].remove(source.g90(p, lead, v), source.g95(p, lead, v));
        }
      }
    }

    /** e(p, h) of the factor served at p (0 when no station is observed at the target). */
    private double error(int p) {
      int v = variant[p - start];
      int g = index[p - start];
      byte[] g90 = source.g90(p, lead, v);
      byte[] g95 = source.g95(p, lead, v);
      int n = 0;
      int miss90 = 0;
      int miss95 = 0;
      for (int s = 0; s < g90.length; s++) {
        if (g90[s] != IntervalCalibration.MISSING) {
          n++;
          miss90 += g90[s] > g ? 1 : 0;
          miss95 += g95[s] > g ? 1 : 0;
        }
      }
      return n == 0 ? 0 : (miss90 - 0.10 * n) / n + (miss95 - 0.05 * n) / n;
    }
  }
}
