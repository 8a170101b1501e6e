package io.terrafield.causal.experiments;

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
 * A confounded observational study with a known ATE: five covariates X ~ N(0, I), treatment A ~
 * Bernoulli(sigmoid(0.6 X1 - 0.6 X2 + 0.4 X3)), outcome Y = tau A + X1 - 0.5 X2 + 0.5 X3 + 0.25 X4
 * + eps with eps ~ N(0, 1). The naive difference in means is biased (X1 and X2 drive both A and Y);
 * DiM is reported for contrast, AIPW and DML (partially linear) with cross-fitting should be
 * unbiased with nominal coverage.
 *
 * @param replications seeded replications
 * @param units units per replication
 * @param tau true effect
 * @param folds cross-fitting folds
 * @param learner nuisance learner
 * @param level CI level
 * @param seed base seed
 */
public record ConfoundedSimulation(
    int replications,
    int units,
    double tau,
    int folds,
    EffectRequest.Learner learner,
    double level,
    long seed) {

  private static final int COVARIATES = 5;

  /** 1,000 replications of 1,000 units, tau = 1, 5 folds, linear learners, 95 % CIs. */
  public static ConfoundedSimulation defaults() {
    return new ConfoundedSimulation(1000, 1000, 1.0, 5, EffectRequest.Learner.LINEAR, 0.95, 4242L);
  }

  /** Copy with another replication count. */
  public ConfoundedSimulation withReplications(int count) {
    return new ConfoundedSimulation(count, units, tau, folds, learner, level, seed);
  }

  /** Copy with another learner and unit count. */
  public ConfoundedSimulation withLearner(EffectRequest.Learner value, int unitCount) {
    return new ConfoundedSimulation(replications, unitCount, tau, folds, value, level, seed);
  }

  /** Runs the replications for DiM, IPW, AIPW and DML (PLR). */
  public List<MethodSummary> run(IntConsumer progress) {
    Estimator[] estimators = {Estimator.DIM, Estimator.IPW, Estimator.AIPW, Estimator.DML};
    double[][] est = new double[estimators.length][replications];
    double[][] se = new double[estimators.length][replications];
    double[][] lo = new double[estimators.length][replications];
    double[][] hi = new double[estimators.length][replications];
    EffectEstimator estimator = new EffectEstimator();
    for (int r = 0; r < replications; r++) {
      UnitTable table = draw(new Random(seed + 104729L * r));
      for (int m = 0; m < estimators.length; m++) {
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
        EffectResult result =
            estimator.estimate(
                EffectRequest.builder(table, "a", "y")
                    .covariates(List.of("x1", "x2", "x3", "x4", "x5"))
                    .estimator(estimators[m])
                    .options(options)
                    .build());
        est[m][r] = result.estimate();
        se[m][r] = result.se();
        lo[m][r] = result.ciLow();
        hi[m][r] = result.ciHigh();
      }
      progress.accept(r);
    }
    List<MethodSummary> out = new ArrayList<>();
    for (int m = 0; m < estimators.length; m++) {
      String label = estimators[m].name().toLowerCase(java.util.Locale.ROOT);
      if (estimators[m] == Estimator.DML) {
        label = "dml (plr)";
      }
      out.add(MethodSummary.of(label, tau, est[m], se[m], lo[m], hi[m]));
    }
    return out;
  }

  UnitTable draw(Random random) {
    double[][] x = new double[COVARIATES][units];
    double[] a = new double[units];
    double[] y = new double[units];
    for (int i = 0; i < units; i++) {
      for (int j = 0; j < COVARIATES; j++) {
        x[j][i] = random.nextGaussian();
      }
      double score = 0.6 * x[0][i] - 0.6 * x[1][i] + 0.4 * x[2][i];
      a[i] = random.nextDouble() < 1 / (1 + Math.exp(-score)) ? 1 : 0;
      y[i] =
          tau * a[i]
              + x[0][i]
              - 0.5 * x[1][i]
              + 0.5 * x[2][i]
              + 0.25 * x[3][i]
              + random.nextGaussian();
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
