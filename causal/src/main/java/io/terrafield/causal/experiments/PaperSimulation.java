package io.terrafield.causal.experiments;

import io.terrafield.causal.EffectEstimator;
import io.terrafield.causal.EffectRequest;
import io.terrafield.causal.EffectRequest.Correction;
import io.terrafield.causal.EffectResult;
import io.terrafield.causal.UnitTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.RealMatrix;

/**
 * The simulation of Pettersson, Jerzak and Daoud (2025, arXiv 2508.01341, section 5): a confounder
 * C ~ N(0,1), treatment A ~ Bernoulli(sigmoid(C)), outcome Y = tau A + alpha C + eps; image-like
 * features X_j = w_j Y + v_j tanh(Y) + noise; a ridge regressor trained on (X, Y) from a separate
 * training sample predicts Yhat (shrunk toward the mean); a held-out calibration split of (Yhat, Y)
 * pairs feeds LCC and Tweedie's correction. Each replication estimates the ATE of A, adjusting for
 * C, on the true Y (oracle), on Yhat (raw), on LCC- and Tweedie-corrected Yhat, and by PPI with
 * fresh labels on a few study units.
 *
 * @param replications number of seeded replications
 * @param studyUnits units in each causal study
 * @param trainingUnits units used to train the regressor
 * @param calibrationUnits held-out calibration pairs
 * @param ppiLabels fresh labels available to PPI in the study
 * @param tau true effect
 * @param alpha confounder effect on Y
 * @param featureNoise SD of the image-feature noise (controls shrinkage)
 * @param estimator estimator adjusting for C
 * @param level CI level
 * @param calibrationReplications bootstrap replications over the calibration set
 * @param seed base seed
 */
public record PaperSimulation(
    int replications,
    int studyUnits,
    int trainingUnits,
    int calibrationUnits,
    int ppiLabels,
    double tau,
    double alpha,
    double featureNoise,
    EffectRequest.Estimator estimator,
    double level,
    int calibrationReplications,
    long seed) {

  private static final int FEATURES = 8;

  /** The configuration used in the tests and the CLI by default (200 replications). */
  public static PaperSimulation defaults() {
    return new PaperSimulation(
        200, 1000, 2000, 500, 100, 1.0, 1.0, 3.0, EffectRequest.Estimator.OLS, 0.90, 200, 2025L);
  }

  /** Copy with another replication count. */
  public PaperSimulation withReplications(int count) {
    return new PaperSimulation(
        count,
        studyUnits,
        trainingUnits,
        calibrationUnits,
        ppiLabels,
        tau,
        alpha,
        featureNoise,
        estimator,
        level,
        calibrationReplications,
        seed);
  }

  /** Runs all replications; {@code progress} is told each finished replication index. */
  public List<MethodSummary> run(IntConsumer progress) {
    String[] methods = {"truth (labels)", "raw prediction", "LCC", "Tweedie", "PPI"};
    double[][] est = new double[methods.length][replications];
    double[][] se = new double[methods.length][replications];
    double[][] lo = new double[methods.length][replications];
    double[][] hi = new double[methods.length][replications];
    EffectEstimator estimator = new EffectEstimator();
    for (int r = 0; r < replications; r++) {
      Replication rep = replicate(seed + 7919L * r);
      EffectResult[] results = {
        estimator.estimate(rep.request(Correction.NONE, true)),
        estimator.estimate(rep.request(Correction.NONE, false)),
        estimator.estimate(rep.request(Correction.LCC, false)),
        estimator.estimate(rep.request(Correction.TWEEDIE, false)),
        estimator.estimate(rep.request(Correction.PPI, false))
      };
      for (int m = 0; m < methods.length; m++) {
        est[m][r] = results[m].estimate();
        se[m][r] = results[m].se();
        lo[m][r] = results[m].ciLow();
        hi[m][r] = results[m].ciHigh();
      }
      progress.accept(r);
    }
    List<MethodSummary> out = new ArrayList<>();
    for (int m = 0; m < methods.length; m++) {
      out.add(MethodSummary.of(methods[m], tau, est[m], se[m], lo[m], hi[m]));
    }
    return out;
  }

  /** One replication's data. */
  Replication replicate(long replicationSeed) {
    Random design = new Random(seed);
    double[] w = new double[FEATURES];
    double[] v = new double[FEATURES];
    for (int j = 0; j < FEATURES; j++) {
      w[j] = 0.5 + design.nextDouble();
      v[j] = 0.3 * design.nextGaussian();
    }
    Random random = new Random(replicationSeed);
    Sample train = draw(trainingUnits, random, w, v);
    double[] beta = ridge(train.features, train.y, 1.0);
    Sample calibration = draw(calibrationUnits, random, w, v);
    Sample study = draw(studyUnits, random, w, v);
    double[] calPred = predict(calibration.features, beta);
    double[] studyPred = predict(study.features, beta);
    double[] fresh = new double[studyUnits];
    java.util.Arrays.fill(fresh, Double.NaN);
    int labelled = 0;
    for (int i = 0; i < studyUnits && labelled < ppiLabels; i++) {
      if (random.nextDouble() < (double) (ppiLabels - labelled) / (studyUnits - i)) {
        fresh[i] = study.y[i];
        labelled++;
      }
    }
    return new Replication(this, study, studyPred, fresh, calPred, calibration.y, replicationSeed);
  }

  record Sample(double[] c, double[] a, double[] y, double[][] features) {}

  record Replication(
      PaperSimulation config,
      Sample study,
      double[] prediction,
      double[] freshLabels,
      double[] calibrationPrediction,
      double[] calibrationLabel,
      long seed) {

    EffectRequest request(Correction correction, boolean useLabels) {
      Map<String, double[]> columns = new LinkedHashMap<>();
      columns.put("a", study.a());
      columns.put("c", study.c());
      columns.put("y", useLabels ? study.y() : prediction);
      columns.put("fresh", freshLabels);
      EffectRequest.Options options =
          EffectRequest.Options.defaults().withLevel(config.level()).withSeed(seed);
      options =
          new EffectRequest.Options(
              options.level(),
              options.folds(),
              options.learner(),
              options.dmlModel(),
              options.trim(),
              options.bootstrap(),
              options.bootstrapReplications(),
              config.calibrationReplications(),
              options.missing(),
              options.seed());
      EffectRequest.Builder builder =
          EffectRequest.builder(UnitTable.ofNumeric(columns), "a", "y")
              .covariates(List.of("c"))
              .estimator(config.estimator())
              .correction(correction)
              .options(options);
      if (correction == Correction.LCC || correction == Correction.TWEEDIE) {
        builder.calibration(
            new EffectRequest.Calibration(
                calibrationPrediction, calibrationLabel, "simulated calibration split"));
      }
      if (correction == Correction.PPI) {
        builder.ppiLabel("fresh");
      }
      return builder.build();
    }
  }

  private Sample draw(int n, Random random, double[] w, double[] v) {
    double[] c = new double[n];
    double[] a = new double[n];
    double[] y = new double[n];
    double[][] x = new double[n][FEATURES];
    for (int i = 0; i < n; i++) {
      c[i] = random.nextGaussian();
      a[i] = random.nextDouble() < 1 / (1 + Math.exp(-c[i])) ? 1 : 0;
      y[i] = tau * a[i] + alpha * c[i] + random.nextGaussian();
      for (int j = 0; j < FEATURES; j++) {
        x[i][j] = w[j] * y[i] + v[j] * Math.tanh(y[i]) + featureNoise * random.nextGaussian();
      }
    }
    return new Sample(c, a, y, x);
  }

  static double[] ridge(double[][] x, double[] y, double penalty) {
    int n = y.length;
    int p = x[0].length + 1;
    double[][] gram = new double[p][p];
    double[] rhs = new double[p];
    for (int i = 0; i < n; i++) {
      double[] z = new double[p];
      z[0] = 1;
      System.arraycopy(x[i], 0, z, 1, p - 1);
      for (int j = 0; j < p; j++) {
        rhs[j] += z[j] * y[i];
        for (int k = 0; k < p; k++) {
          gram[j][k] += z[j] * z[k];
        }
      }
    }
    for (int j = 1; j < p; j++) {
      gram[j][j] += penalty;
    }
    RealMatrix m = new Array2DRowRealMatrix(gram, false);
    return new CholeskyDecomposition(m).getSolver().solve(new ArrayRealVector(rhs)).toArray();
  }

  static double[] predict(double[][] x, double[] beta) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double s = beta[0];
      for (int j = 0; j < x[i].length; j++) {
        s += beta[j + 1] * x[i][j];
      }
      out[i] = s;
    }
    return out;
  }
}
