package io.terrafield.causal.experiments;

import io.terrafield.causal.CausalInputException;
import io.terrafield.causal.EffectEstimator;
import io.terrafield.causal.EffectRequest;
import io.terrafield.causal.EffectRequest.Estimator;
import io.terrafield.causal.EffectResult;
import io.terrafield.causal.UnitTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * A confounded observational study with a known ATE and five covariates X ~ N(0, I).
 *
 * <pre>
 * linear:    A ~ Bernoulli(sigmoid(0.6 X1 - 0.6 X2 + 0.4 X3)),
 *            Y = tau A + X1 - 0.5 X2 + 0.5 X3 + 0.25 X4 + eps
 * nonlinear: u = min(X1^2, 4), s = sin(2 X2),
 *            A ~ Bernoulli(sigmoid(0.7 (u - 1) + 0.6 s - 0.3 X3)),
 *            Y = tau A + 1.2 (u - 1) + 0.8 s + 0.5 X3 + 0.25 X4 + eps
 * eps ~ N(0, 1)
 * </pre>
 *
 * The naive difference in means is biased in both. In the nonlinear design the confounders enter
 * through X1^2 and sin(2 X2), which a linear model in X cannot represent (X1^2 is uncorrelated with
 * X1), so the linear learners stay biased while boosted trees adjust. DiM is reported for contrast;
 * IPW, AIPW and DML (partially linear) with cross-fitting are the candidates.
 *
 * @param replications seeded replications
 * @param units units per replication
 * @param tau true effect
 * @param folds cross-fitting folds
 * @param learner nuisance learner
 * @param level CI level
 * @param seed base seed
 * @param design linear or nonlinear confounding
 */
public record ConfoundedSimulation(
    int replications,
    int units,
    double tau,
    int folds,
    EffectRequest.Learner learner,
    double level,
    long seed,
    Design design) {

  /** How the confounders enter the treatment and the outcome. */
  public enum Design {
    /** Linear in X (logistic propensity). */
    LINEAR,
    /** Through X1^2 and sin(2 X2). */
    NONLINEAR
  }

  /** The linear design. */
  public ConfoundedSimulation(
      int replications,
      int units,
      double tau,
      int folds,
      EffectRequest.Learner learner,
      double level,
      long seed) {
    this(replications, units, tau, folds, learner, level, seed, Design.LINEAR);
  }

  private static final int COVARIATES = 5;

  /** 1,000 replications of 1,000 units, tau = 1, 5 folds, linear learners, 95 % CIs. */
  public static ConfoundedSimulation defaults() {
    return new ConfoundedSimulation(1000, 1000, 1.0, 5, EffectRequest.Learner.LINEAR, 0.95, 4242L);
  }

  /** Copy with another replication count. */
  public ConfoundedSimulation withReplications(int count) {
    return new ConfoundedSimulation(count, units, tau, folds, learner, level, seed, design);
  }

  /** Copy with another design. */
  public ConfoundedSimulation withDesign(Design value) {
    return new ConfoundedSimulation(replications, units, tau, folds, learner, level, seed, value);
  }

  /** Copy with another learner and unit count. */
  public ConfoundedSimulation withLearner(EffectRequest.Learner value, int unitCount) {
    return new ConfoundedSimulation(
        replications, unitCount, tau, folds, value, level, seed, design);
  }

  /**
   * Runs the replications for DiM, IPW, AIPW and DML (PLR). An estimator that refuses the request
   * (a {@link CausalInputException}, e.g. a combination known not to be trustworthy) is reported as
   * refused with the reason instead of a row of numbers.
   */
  public List<MethodSummary> run(IntConsumer progress) {
    return run(progress, 1);
  }

  /**
   * As {@link #run(IntConsumer)}, with the replications spread over {@code threads} threads. Each
   * replication is seeded by its index, so the table does not depend on the thread count.
   *
   * @param threads worker threads, at least 1
   * @throws IllegalArgumentException if threads is below 1
   */
  public List<MethodSummary> run(IntConsumer progress, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    Estimator[] estimators = {Estimator.DIM, Estimator.IPW, Estimator.AIPW, Estimator.DML};
    double[][] est = new double[estimators.length][replications];
    double[][] se = new double[estimators.length][replications];
    double[][] lo = new double[estimators.length][replications];
    double[][] hi = new double[estimators.length][replications];
    String[] refusals = new String[estimators.length];
    boolean[][] refused = new boolean[estimators.length][replications];
    IntConsumer replication =
        r -> {
          runReplication(r, estimators, est, se, lo, hi, refusals, refused);
          progress.accept(r);
        };
    if (threads == 1) {
      for (int r = 0; r < replications; r++) {
        replication.accept(r);
      }
    } else {
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(threads);
      try {
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int r = 0; r < replications; r++) {
          int index = r;
          done.add(pool.submit(() -> replication.accept(index)));
        }
        for (java.util.concurrent.Future<?> f : done) {
          f.get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("simulation interrupted", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("replication failed: " + e.getCause(), e.getCause());
      } finally {
        pool.shutdownNow();
      }
    }
    List<MethodSummary> out = new ArrayList<>();
    for (int m = 0; m < estimators.length; m++) {
      String label = estimators[m].name().toLowerCase(java.util.Locale.ROOT);
      if (estimators[m] == Estimator.DML) {
        label = "dml (plr)";
      }
      int count = 0;
      for (boolean v : refused[m]) {
        count += v ? 1 : 0;
      }
      if (count == replications && refusals[m] != null) {
        out.add(
            MethodSummary.refused(
                label,
                (replications > 1 ? "in all " + replications + " replications; first: " : "")
                    + refusals[m]));
      } else if (count == 0) {
        out.add(MethodSummary.of(label, tau, est[m], se[m], lo[m], hi[m]));
      } else {
        out.add(
            MethodSummary.of(
                label + " (refused " + count + "/" + replications + ")",
                tau,
                answered(est[m], refused[m]),
                answered(se[m], refused[m]),
                answered(lo[m], refused[m]),
                answered(hi[m], refused[m])));
      }
    }
    return out;
  }

  private void runReplication(
      int r,
      Estimator[] estimators,
      double[][] est,
      double[][] se,
      double[][] lo,
      double[][] hi,
      String[] refusals,
      boolean[][] refused) {
    UnitTable table = draw(new Random(seed + 104729L * r));
    EffectEstimator estimator = new EffectEstimator();
    EffectRequest.Options defaults = EffectRequest.Options.defaults();
    EffectRequest.Options options =
        new EffectRequest.Options(
            level,
            folds,
            learner,
            EffectRequest.DmlModel.PLR,
            defaults.trim(),
            EffectRequest.Bootstrap.NONE,
            defaults.bootstrapReplications(),
            0,
            defaults.missing(),
            seed + r);
    for (int m = 0; m < estimators.length; m++) {
      EffectResult result;
      try {
        result =
            estimator.estimate(
                EffectRequest.builder(table, "a", "y")
                    .covariates(List.of("x1", "x2", "x3", "x4", "x5"))
                    .estimator(estimators[m])
                    .options(options)
                    .build());
      } catch (CausalInputException e) {
        synchronized (refusals) {
          // the reason of the lowest-numbered refused replication, so the table does not depend
          // on the thread count
          if (refusals[m] == null || r < firstRefused(refused[m])) {
            refusals[m] = e.getMessage();
          }
          refused[m][r] = true;
        }
        continue;
      }
      est[m][r] = result.estimate();
      se[m][r] = result.se();
      lo[m][r] = result.ciLow();
      hi[m][r] = result.ciHigh();
    }
  }

  private static int firstRefused(boolean[] refused) {
    for (int i = 0; i < refused.length; i++) {
      if (refused[i]) {
        return i;
      }
    }
    return Integer.MAX_VALUE;
  }

  private static double[] answered(double[] values, boolean[] refused) {
    int count = 0;
    for (boolean v : refused) {
      count += v ? 0 : 1;
    }
    double[] out = new double[count];
    int c = 0;
    for (int i = 0; i < values.length; i++) {
      if (!refused[i]) {
        out[c++] = values[i];
      }
    }
    return out;
  }

  /** The data of one replication (replication r uses {@code new Random(seed + 104729 r)}). */
  public UnitTable draw(Random random) {
    double[][] x = new double[COVARIATES][units];
    double[] a = new double[units];
    double[] y = new double[units];
    for (int i = 0; i < units; i++) {
      for (int j = 0; j < COVARIATES; j++) {
        x[j][i] = random.nextGaussian();
      }
      double score;
      double mean;
      if (design == Design.LINEAR) {
        score = 0.6 * x[0][i] - 0.6 * x[1][i] + 0.4 * x[2][i];
        mean = x[0][i] - 0.5 * x[1][i] + 0.5 * x[2][i] + 0.25 * x[3][i];
      } else {
        double u = Math.min(x[0][i] * x[0][i], 4.0) - 1;
        double sine = Math.sin(2 * x[1][i]);
        score = 0.7 * u + 0.6 * sine - 0.3 * x[2][i];
        mean = 1.2 * u + 0.8 * sine + 0.5 * x[2][i] + 0.25 * x[3][i];
      }
      a[i] = random.nextDouble() < 1 / (1 + Math.exp(-score)) ? 1 : 0;
      y[i] = tau * a[i] + mean + random.nextGaussian();
    }
    Map<String, double[]> columns = new LinkedHashMap<>();
    columns.put("a", a);
    columns.put("y", y);
    for (int j = 0; j < COVARIATES; j++) {
      columns.put("x" + (j + 1), x[j]);
    }
    return UnitTable.ofNumeric(columns);
  }
}
