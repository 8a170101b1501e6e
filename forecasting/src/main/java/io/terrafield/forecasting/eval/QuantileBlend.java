package io.terrafield.forecasting.eval;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The combination of the field's calibrated quantiles with persistence's, so that long leads do not
 * score worse than persistence when the field ages or the weather changes regime.
 *
 * <p><b>Served rule</b> ({@link #serve}): from lead {@value #FROM_LEAD} h on, the served quantile
 * at every level is the equal-weight average of the field's and persistence's on the log1p scale,
 * {@link #combineLog}: q = expm1(w·log1p(q_field) + (1 − w)·log1p(q_persistence)), w = {@value
 * #LONG_LEAD_WEIGHT} (the scale on which both models are built); shorter leads serve the field
 * alone. Quantile averaging (Vincentisation; Ratcliff 1979, Psychological Bulletin 86(3); Genest
 * 1992, JASA 87(420)): on the averaging scale the pinball loss is convex in the quantile, so the
 * score there is at most the average of the two (Lichtendahl, Grushka-Cockayne and Winkler 2013,
 * Management Science 59(7), "Is it better to average probabilities or quantiles?", Proposition 2
 * for the quantile score). On the µg/m³ scale the log1p average is a geometric average, which
 * narrows the upper tails that the field's latent-scale interval factor widens (measured: lower
 * CRPS than the arithmetic average at 13-72 h in all three replayed windows). Equal weights rather
 * than estimated ones: the "forecast combination puzzle" (Smith and Wallis 2009, Oxford Bulletin of
 * Economics and Statistics 71(3); Claeskens, Magnus, Vasnev and Wang 2016, International Journal of
 * Forecasting 32(3)) — estimated weights add variance; here they also lag Beijing's episode cycle:
 * the online rule below lost to persistence at 25-72 h in two of three replayed windows and to the
 * served log1p average at 13-72 h in all three (docs/forecasts.md, "Persistence blend"). The blend
 * of a calibrated field with persistence is not calibrated itself: the served intervals are then
 * narrowed by {@link ServedIntervalCorrection} where they over-cover.
 *
 * <p><b>Online rule</b> (measured, not served; {@link #weight}, for {@code BlendStudy}):
 *
 * <pre>
 *   q_served(α) = w(I, h) · q_field(α) + (1 − w(I, h)) · q_persistence(α)      (every level α)
 *   w(I, h)     = argmin_{w ∈ {0, 0.05, .., 1}}  Σ_{p ∈ P(I, h)} λ^{(I − p)/24} Σ_s CRPS(q_w(p, h, s), y)
 *   P(I, h)     = { p = I − 24k, k ≥ 1 : p ≥ start, p ≥ I − W, p + h − 1 < I }
 * </pre>
 *
 * <ul>
 *   <li>The combination is quantile averaging (Vincentisation): for any w, the pinball loss is
 *       convex in the quantile, so the CRPS of the averaged quantiles is at most the weighted
 *       average of the two CRPS (Lichtendahl, Grushka-Cockayne and Winkler 2013, Management Science
 *       59(7), "Is it better to average probabilities or quantiles?", Proposition 2 for the
 *       quantile score).
 *   <li>w is chosen online by the CRPS, written as the integrated quantile (pinball) loss, of the
 *       combination over the already verified forecasts (Berrisch and Ziel 2023, "CRPS learning",
 *       Journal of Econometrics 237(2), eq. 5-6; here the follow-the-leader choice on a weight grid
 *       with exponential forgetting λ instead of their Bernstein online aggregation, and one weight
 *       for all levels of a lead). The window P(I, h) holds the issues at the same hour of the day
 *       as I from the last W = {@value #WINDOW_DAYS} days after the field's training window (out of
 *       sample for the field), verified before I: one new verification per lead and issue hour, so
 *       that daily issues (evaluation) and hourly issues (serving) get the same w at the same
 *       issue. With fewer than {@value #MIN_ISSUES} verified issues, w = 1 (the field alone).
 *   <li>The CRPS of the window is computed on the levels i/40 (i = 1..39, a subset of {@link
 *       QuantileLevels#LEVELS}), by the midpoint rule of {@link Metrics}.
 * </ul>
 *
 * Not thread-safe.
 */
public final class QuantileBlend {
  /** The weight grid 0, 0.05, .., 1 (the field's weight). */
  static final double[] WEIGHTS = weightGrid();

  /** Indices into {@link QuantileLevels#LEVELS} of the scoring levels i/40. */
  static final int[] SCORE_LEVELS = scoreLevels();

  /** The first lead (hours) whose served quantiles are blended with persistence. */
  public static final int FROM_LEAD = 13;

  /** The field's weight from {@link #FROM_LEAD} on. */
  public static final double LONG_LEAD_WEIGHT = 0.5;

  /** W, days of verified issues that choose w. */
  static final int WINDOW_DAYS = 30;

  /** Half-life of the exponential forgetting, days. */
  static final double HALF_LIFE_DAYS = 7;

  /** Verified issues needed before w is chosen (else w = 1). */
  static final int MIN_ISSUES = 5;

  /** What the blend reads: the scores of the verified forecasts issued at p for lead h. */
  public interface Source {
    /**
     * Σ_s CRPS of the combinations {@link #WEIGHTS} of the forecasts issued at {@code issue} for
     * {@code lead} (see {@link #scores}), with the number of observed stations as the last entry;
     * called only for targets observed before the issue asking.
     */
    double[] scores(int issue, int lead);
  }

  private final Source source;
  private final int start;
  private final int stepsPerDay;
  private final int windowDays;
  private final double halfLifeDays;
  private final Map<Long, double[]> memo = new HashMap<>();

  /**
   * @param start the first issue after the field's training window
   * @param stepsPerDay 24 for hourly data
   */
  public QuantileBlend(Source source, int start, int stepsPerDay) {
    this(source, start, stepsPerDay, WINDOW_DAYS, HALF_LIFE_DAYS);
  }

  /** With another window and half-life (offline studies). */
  public QuantileBlend(
      Source source, int start, int stepsPerDay, int windowDays, double halfLifeDays) {
    this.source = source;
    this.start = start;
    this.stepsPerDay = stepsPerDay;
    this.windowDays = windowDays;
    this.halfLifeDays = halfLifeDays;
  }

  /**
   * The served quantiles at {@code lead} hours: {@link #combineLog} of the field's and
   * persistence's with {@link #fieldWeight} (the field's own from a lead below {@link #FROM_LEAD}).
   */
  public static double[] serve(double[] field, double[] persistence, int lead) {
    return combineLog(field, persistence, fieldWeight(lead));
  }

  /** The served field weight at {@code lead} hours (1: the field alone). */
  public static double fieldWeight(int lead) {
    return lead >= FROM_LEAD ? LONG_LEAD_WEIGHT : 1.0;
  }

  /** The online rule's w(issue, lead), the field's weight (studies; not served). */
  public double weight(int issue, int lead) {
    double[] total = new double[WEIGHTS.length];
    int issues = 0;
    for (int k = 1; k <= windowDays; k++) {
      int p = issue - k * stepsPerDay;
      if (p < start) {
        break;
      }
      if (p + lead - 1 >= issue) {
        continue;
      }
      double[] s = memo.computeIfAbsent(((long) p << 20) | lead, key -> source.scores(p, lead));
      if (s[WEIGHTS.length] == 0) {
        continue;
      }
      double decay = Math.pow(0.5, k / halfLifeDays);
      for (int w = 0; w < WEIGHTS.length; w++) {
        total[w] += decay * s[w];
      }
      issues++;
    }
    if (issues < MIN_ISSUES) {
      return 1.0;
    }
    int best = WEIGHTS.length - 1;
    for (int w = WEIGHTS.length - 2; w >= 0; w--) {
      if (total[w] < total[best]) {
        best = w;
      }
    }
    return WEIGHTS[best];
  }

  /**
   * Σ over stations of the CRPS (levels {@link #SCORE_LEVELS}) of w·field + (1 − w)·persistence for
   * every w of {@link #WEIGHTS}, and the number of stations last. {@code field[s]} and {@code
   * persistence[s]} are quantiles at {@link #SCORE_LEVELS} (or at all {@link QuantileLevels#LEVELS}
   * when {@code allLevels}); stations with a NaN y are skipped.
   */
  public static double[] scores(
      double[][] field, double[][] persistence, double[] y, boolean allLevels) {
    double[] out = new double[WEIGHTS.length + 1];
    for (int s = 0; s < y.length; s++) {
      if (Double.isNaN(y[s])) {
        continue;
      }
      out[WEIGHTS.length]++;
      for (int w = 0; w < WEIGHTS.length; w++) {
        double sum = 0;
        for (int i = 0; i < SCORE_LEVELS.length; i++) {
          int k = allLevels ? SCORE_LEVELS[i] : i;
          double alpha = QuantileLevels.LEVELS[SCORE_LEVELS[i]];
          double q = WEIGHTS[w] * field[s][k] + (1 - WEIGHTS[w]) * persistence[s][k];
          double u = y[s] - q;
          sum += u >= 0 ? alpha * u : (alpha - 1) * u;
        }
        out[w] += 2.0 * sum / (SCORE_LEVELS.length + 1);
      }
    }
    return out;
  }

  /** w·field + (1 − w)·persistence, level by level (monotone when both are). */
  public static double[] combine(double[] field, double[] persistence, double w) {
    if (w == 1.0) {
      return field.clone();
    }
    double[] q = new double[field.length];
    for (int k = 0; k < q.length; k++) {
      q[k] = w * field[k] + (1 - w) * persistence[k];
    }
    return q;
  }

  /**
   * The average on the log1p scale, level by level: expm1(w·log1p(field) + (1 − w)·log1p
   * (persistence)) — a geometric average of the quantiles (+1), monotone when both are.
   */
  public static double[] combineLog(double[] field, double[] persistence, double w) {
    if (w == 1.0) {
      return field.clone();
    }
    double[] q = new double[field.length];
    for (int k = 0; k < q.length; k++) {
      q[k] =
          Math.expm1(
              w * Math.log1p(Math.max(0, field[k]))
                  + (1 - w) * Math.log1p(Math.max(0, persistence[k])));
    }
    return q;
  }

  /** The levels i/40 as values. */
  static double[] scoreLevelValues() {
    double[] levels = new double[SCORE_LEVELS.length];
    for (int i = 0; i < levels.length; i++) {
      levels[i] = QuantileLevels.LEVELS[SCORE_LEVELS[i]];
    }
    return levels;
  }

  private static double[] weightGrid() {
    double[] grid = new double[21];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = i / 20.0;
    }
    return grid;
  }

  private static int[] scoreLevels() {
    int[] levels = new int[39];
    Arrays.setAll(levels, i -> 5 * (i + 1) - 1);
    return levels;
  }
}
