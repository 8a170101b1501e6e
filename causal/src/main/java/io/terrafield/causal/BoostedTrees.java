package io.terrafield.causal;

import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Gradient-boosted trees (Chen and Guestrin 2016, XGBoost4J) as nuisance learners. Outcome
 * regressions: depth-3 trees, learning rate 0.05, 300 rounds; propensity classifiers: depth-2
 * trees, 100 rounds (deeper and longer fits over-fit the treatment: on the confounded simulation
 * their held-out logits correlate 0.78 with the true ones against 0.91, and Platt scaling had to
 * shrink them by half). Row subsampling 0.8, one thread per fit (the cross-fitting folds are the
 * unit of parallelism). Native code ships in the XGBoost4J jar (Linux x86-64).
 */
final class BoostedTrees implements Nuisance.Predictor {
  private final Booster booster;
  private final int columns;

  private BoostedTrees(Booster booster, int columns) {
    this.booster = booster;
    this.columns = columns;
  }

  static Nuisance.RegressionLearner regression() {
    return (x, y) -> train(x, toFloat(y), "reg:squarederror", 3, 300);
  }

  static Nuisance.ClassificationLearner classification() {
    return (x, a) -> {
      float[] label = new float[a.length];
      for (int i = 0; i < a.length; i++) {
        label[i] = a[i];
      }
      return train(x, label, "binary:logistic", 2, 100);
    };
  }

  private static BoostedTrees train(
      double[][] x, float[] label, String objective, int depth, int rounds) {
    int p = x[0].length;
    Map<String, Object> params = new HashMap<>();
    params.put("objective", objective);
    params.put("max_depth", depth);
    params.put("eta", 0.05);
    params.put("subsample", 0.8);
    params.put("min_child_weight", 5);
    params.put("nthread", 1);
    params.put("seed", 7);
    params.put("verbosity", 0);
    try {
      DMatrix train = new DMatrix(flatten(x), x.length, p, Float.NaN);
      train.setLabel(label);
      Booster booster = XGBoost.train(train, params, rounds, new HashMap<>(), null, null);
      train.dispose();
      return new BoostedTrees(booster, p);
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
    }
  }

  @Override
  public double[] predict(double[][] rows) {
    try {
      DMatrix m = new DMatrix(flatten(rows), rows.length, columns, Float.NaN);
      float[][] pred = booster.predict(m);
      m.dispose();
      double[] out = new double[rows.length];
      for (int i = 0; i < rows.length; i++) {
        out[i] = pred[i][0];
      }
      return out;
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
    }
  }

  private static float[] flatten(double[][] x) {
    int p = x.length == 0 ? 0 : x[0].length;
    float[] out = new float[x.length * p];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < p; j++) {
        out[i * p + j] = (float) x[i][j];
      }
    }
    return out;
  }

  private static float[] toFloat(double[] y) {
    float[] out = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      out[i] = (float) y[i];
    }
    return out;
  }
}
