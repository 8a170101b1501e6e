package io.terrafield.forecasting.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Statistical tests of {@link QuantileBlend} with known truth: 12 stations follow AR(1) processes
 * x_t = φ x_{t−1} + e_t (φ = 0.98); persistence forecasts N(x_{p−1}, 2σ_x²(1 − φ^k)) (its marginal
 * error law), the "field" the exact conditional law N(φ^k x_{p−1}, σ_x²(1 − φ^{2k})) — until it
 * goes stale halfway through: then it carries a station bias of ±1.2 σ_x with its spread widened to
 * still cover (as the interval calibration would). Over seeded replications the blend must follow
 * the better forecast in each half and keep its intervals calibrated.
 */
class QuantileBlendTest {
  private static final int STATIONS = 12;
  private static final int HOURS = 24 * 100;

  /** Days after the field goes stale that the blend may take to move (the forgetting's lag). */
  private static final int SETTLE_DAYS = 14;

  private static final double PHI = 0.98;
  private static final double SIGMA_X = 1.0;
  private static final double[] SCORE_LEVELS = QuantileBlend.scoreLevelValues();

  /** The latent level of the observation scale, y = expm1(LEVEL + x): about 55 at x = 0. */
  private static final double LEVEL = 4;

  private static double[] toObservation(double[] latent) {
    double[] q = new double[latent.length];
    for (int i = 0; i < q.length; i++) {
      q[i] = Math.expm1(LEVEL + latent[i]);
    }
    return q;
  }

  /**
   * One replication's scores per half: [0] field, [1] persistence, [2] online blend (scored after
   * the settling days); {@code served}: the served (equal-weight) blend over each whole half.
   */
  private static final class Run {
    final Metrics[][] metrics = new Metrics[2][4];
    final Metrics[] coverage = {new Metrics(), new Metrics()};
    final Metrics[] served = {new Metrics(), new Metrics()};
    final Metrics[] wholeField = {new Metrics(), new Metrics()};
    final Metrics[] wholePers = {new Metrics(), new Metrics()};
    double meanWeightStale;
    double meanWeightGood;

    Run() {
      for (Metrics[] half : metrics) {
        for (int m = 0; m < 4; m++) {
          half[m] = new Metrics();
        }
      }
    }
  }

  private static Run simulate(long seed, int lead) {
    Random random = new Random(seed);
    double innovation = SIGMA_X * Math.sqrt(1 - PHI * PHI);
    double[][] x = new double[STATIONS][HOURS + lead];
    double[] bias = new double[STATIONS];
    for (int s = 0; s < STATIONS; s++) {
      x[s][0] = SIGMA_X * random.nextGaussian();
      for (int t = 1; t < x[s].length; t++) {
        x[s][t] = PHI * x[s][t - 1] + innovation * random.nextGaussian();
      }
      bias[s] = (s % 2 == 0 ? 1.2 : -1.2) * SIGMA_X;
    }
    int stale = HOURS / 2;
    int start = 24;
    double[][][] field = new double[HOURS][][];
    double[][][] pers = new double[HOURS][][];
    Map<Long, double[]> scores = new HashMap<>();
    QuantileBlend blend = new QuantileBlend((p, h) -> scores.get((long) p), start, 24);
    Run run = new Run();
    double[] levels = QuantileLevels.LEVELS;
    double[] scoreLevels = SCORE_LEVELS;
    int k = lead; // steps from the newest observation (p − 1) to the target (p + lead − 1)
    double condSd = SIGMA_X * Math.sqrt(1 - Math.pow(PHI, 2 * k));
    double persSd = SIGMA_X * Math.sqrt(2 * (1 - Math.pow(PHI, k)));
    int goodN = 0;
    int staleN = 0;
    for (int p = start; p < HOURS; p++) {
      double w = blend.weight(p, lead);
      double[][] f39 = new double[STATIONS][];
      double[][] p39 = new double[STATIONS][];
      double[] y = new double[STATIONS];
      int half = p < stale ? 0 : 1;
      boolean settled = p < stale || p >= stale + SETTLE_DAYS * 24;
      for (int s = 0; s < STATIONS; s++) {
        double last = x[s][p - 1];
        double mean = Math.pow(PHI, k) * last + (half == 1 ? bias[s] : 0);
        double sd = half == 1 ? Math.sqrt(condSd * condSd + bias[s] * bias[s]) : condSd;
        double[] fq = normalQuantiles(mean, sd, levels);
        double[] pq = normalQuantiles(last, persSd, levels);
        y[s] = x[s][p + lead - 1];
        double[] bq = QuantileBlend.combine(fq, pq, w);
        run.coverage[half].add(bq, y[s]);
        // the served rule on the observation scale y = expm1(LEVEL + x) (x the latent value)
        double[] fo = toObservation(fq);
        double[] po = toObservation(pq);
        double yo = Math.expm1(LEVEL + y[s]);
        run.served[half].add(QuantileBlend.serve(fo, po, lead), yo);
        run.wholeField[half].add(fo, yo);
        run.wholePers[half].add(po, yo);
        if (settled) {
          run.metrics[half][0].add(fq, y[s]);
          run.metrics[half][1].add(pq, y[s]);
          run.metrics[half][2].add(bq, y[s]);
        }
        f39[s] = normalQuantiles(mean, sd, scoreLevels);
        p39[s] = normalQuantiles(last, persSd, scoreLevels);
      }
      if (half == 0) {
        run.meanWeightGood += w;
        goodN++;
      } else {
        run.meanWeightStale += w;
        staleN++;
      }
      scores.put((long) p, QuantileBlend.scores(f39, p39, y, false));
    }
    run.meanWeightGood /= goodN;
    run.meanWeightStale /= staleN;
    return run;
  }

  @ParameterizedTest
  @ValueSource(ints = {24, 72})
  void theOnlineRuleFollowsTheBetterForecastAndStaysCalibrated(int lead) {
    double picp90 = 0;
    double picp95 = 0;
    for (long seed = 1; seed <= 10; seed++) {
      Run run = simulate(seed * 7919 + lead, lead);
      Metrics[] good = run.metrics[0];
      Metrics[] stale = run.metrics[1];
      // while the field is right it keeps (nearly) all the weight and its CRPS
      assertThat(run.meanWeightGood).as("seed %d good-half w", seed).isGreaterThan(0.7);
      assertThat(good[2].crps()).as("seed %d good half", seed).isLessThan(1.03 * good[0].crps());
      // once stale (worse than persistence), the blend beats both
      assertThat(stale[0].crps())
          .as("seed %d stale field is worse", seed)
          .isGreaterThan(stale[1].crps());
      assertThat(run.meanWeightStale)
          .as("seed %d stale-half w", seed)
          .isLessThan(run.meanWeightGood);
      assertThat(stale[2].crps())
          .as(
              "seed %d stale half: blend %.4f vs persistence %.4f",
              seed, stale[2].crps(), stale[1].crps())
          .isLessThan(stale[1].crps());
      for (Metrics half : run.coverage) {
        // one replication: 50 days of strongly autocorrelated errors, so a wider band
        assertThat(half.picp90()).as("seed %d PICP90", seed).isBetween(0.82, 0.97);
        assertThat(half.picp95()).as("seed %d PICP95", seed).isBetween(0.88, 0.99);
        picp90 += half.picp90() / 20;
        picp95 += half.picp95() / 20;
      }
    }
    // over the replications: the served targets
    assertThat(picp90).as("mean PICP90").isBetween(0.85, 0.95);
    assertThat(picp95).as("mean PICP95").isBetween(0.90, 0.98);
  }

  /**
   * The served rule (equal weights from lead 13 h): at most the mean of the two CRPS in both halves
   * (a guarantee of quantile averaging), below persistence's while the field is fresh (a stale
   * field much worse than persistence, as here, is not rescued by equal weights: that needs a
   * refit), and calibrated over the replications.
   */
  @ParameterizedTest
  @ValueSource(ints = {24, 72})
  void theServedLogScaleBlendBeatsPersistenceAndStaysCalibrated(int lead) {
    assertThat(QuantileBlend.fieldWeight(lead)).isEqualTo(0.5);
    assertThat(QuantileBlend.fieldWeight(QuantileBlend.FROM_LEAD - 1)).isEqualTo(1.0);
    double picp90 = 0;
    double picp95 = 0;
    for (long seed = 1; seed <= 10; seed++) {
      Run run = simulate(seed * 104729 + lead, lead);
      for (int half = 0; half < 2; half++) {
        Run whole = run;
        double served = whole.served[half].crps();
        double fieldCrps = whole.wholeField[half].crps();
        double persCrps = whole.wholePers[half].crps();
        if (half == 0) {
          assertThat(served).as("seed %d fresh field: vs persistence", seed).isLessThan(persCrps);
        }
        if (half == 1) {
          assertThat(served).as("seed %d stale: vs the stale field", seed).isLessThan(fieldCrps);
        }
        picp90 += whole.served[half].picp90() / 20;
        picp95 += whole.served[half].picp95() / 20;
        assertThat(whole.served[half].picp90()).as("seed %d PICP90", seed).isBetween(0.82, 0.97);
        assertThat(whole.served[half].picp95()).as("seed %d PICP95", seed).isBetween(0.88, 0.99);
      }
    }
    assertThat(picp90).as("mean PICP90").isBetween(0.85, 0.95);
    assertThat(picp95).as("mean PICP95").isBetween(0.90, 0.98);
  }

  @Test
  void scoresAreTheCrpsOfTheCombinationAndCombineIsLinear() {
    double[][] field = {normalQuantiles(0, 1, SCORE_LEVELS)};
    double[][] pers = {normalQuantiles(1, 2, SCORE_LEVELS)};
    double[] s = QuantileBlend.scores(field, pers, new double[] {0.3}, false);
    assertThat(s[QuantileBlend.WEIGHTS.length]).isEqualTo(1.0);
    // w = 1: the CRPS of N(0, 1) at y = 0.3, closed form, within the 39-level rule's error
    double z = 0.3;
    double exact =
        z * (2 * cdf(z) - 1)
            + 2 * Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI)
            - 1 / Math.sqrt(Math.PI);
    assertThat(s[QuantileBlend.WEIGHTS.length - 1]).isCloseTo(exact, within(0.02));
    // convexity in w (quantile averaging)
    for (int w = 1; w + 1 < QuantileBlend.WEIGHTS.length; w++) {
      assertThat(s[w]).isLessThanOrEqualTo((s[w - 1] + s[w + 1]) / 2 + 1e-12);
    }
    assertThat(QuantileBlend.combine(new double[] {1, 3}, new double[] {3, 7}, 0.25))
        .containsExactly(2.5, 6.0);
    // a missing observation is skipped
    assertThat(QuantileBlend.scores(field, pers, new double[] {Double.NaN}, false)[0]).isZero();
  }

  @Test
  void theFieldAloneUntilEnoughIssuesAreVerified() {
    QuantileBlend blend =
        new QuantileBlend(
            (p, h) -> {
              double[] s = new double[QuantileBlend.WEIGHTS.length + 1];
              s[0] = 0; // persistence alone would be perfect
              for (int w = 1; w < QuantileBlend.WEIGHTS.length; w++) {
                s[w] = w;
              }
              s[QuantileBlend.WEIGHTS.length] = 12;
              return s;
            },
            100,
            24);
    // issues 100, 124, .. verified before I = 100 + 24 n: n of them at lead 1
    int min = QuantileBlend.MIN_ISSUES;
    assertThat(blend.weight(100 + 24 * (min - 1), 1)).isEqualTo(1.0);
    assertThat(blend.weight(100 + 24 * min, 1)).isZero();
    // a lead of 72 h is verified two days later (p + 71 < I)
    assertThat(blend.weight(100 + 24 * (min + 1), 72)).isEqualTo(1.0);
    assertThat(blend.weight(100 + 24 * (min + 2), 72)).isZero();
  }

  private static final Map<double[], double[]> STANDARD = new java.util.IdentityHashMap<>();

  static synchronized double[] normalQuantiles(double mean, double sd, double[] levels) {
    double[] z =
        STANDARD.computeIfAbsent(
            levels,
            l -> {
              double[] out = new double[l.length];
              for (int i = 0; i < l.length; i++) {
                out[i] = probit(l[i]);
              }
              return out;
            });
    double[] q = new double[levels.length];
    for (int i = 0; i < q.length; i++) {
      q[i] = mean + sd * z[i];
    }
    return q;
  }

  static double cdf(double z) {
    return 0.5 * (1 + erf(z / Math.sqrt(2)));
  }

  private static double erf(double x) {
    double t = 1 / (1 + 0.5 * Math.abs(x));
    double y =
        1
            - t
                * Math.exp(
                    -x * x
                        - 1.26551223
                        + t
                            * (1.00002368
                                + t
                                    * (0.37409196
                                        + t
                                            * (0.09678418
                                                + t
                                                    * (-0.18628806
                                                        + t
                                                            * (0.27886807
                                                                + t
                                                                    * (-1.13520398
                                                                        + t
                                                                            * (1.48851587
                                                                                + t
                                                                                    * (-0.82215223
                                                                                        + t
                                                                                            * 0.17087277)))))))));
    return x >= 0 ? y : -y;
  }

  /** The standard Normal quantile by bisection on {@link #cdf} (tests only). */
  static double probit(double p) {
    double lo = -9;
    double hi = 9;
    for (int i = 0; i < 80; i++) {
      double mid = (lo + hi) / 2;
      if (cdf(mid) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }
}
