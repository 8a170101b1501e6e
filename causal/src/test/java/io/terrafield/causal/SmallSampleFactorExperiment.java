package io.terrafield.causal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Would a small-sample factor n/(n-1) on the SE help the adjusting estimators (OLS, IPW, AIPW, DML)
 * with few units? One covariate, Y = A + X + e with SD(e) 1.5 treated and 1 control, alternating
 * arms, true effect 1, data set s seeded 500 + s; n = 16 (8 per arm) and 40. Skipped unless run
 * with {@code -Dexp.reps=N} (N = 400 for the numbers in the README, about 1 minute). Prints the
 * coverage of the CI as computed and with the SE times sqrt(n/(n-1)); refused data sets (the
 * linear-misfit check or separation) are left out and counted.
 */
class SmallSampleFactorExperiment {
  @Test
  void run() {
    int sets = Integer.getInteger("exp.reps", 0);
    if (sets == 0) {
      return;
    }
    EffectEstimator est = new EffectEstimator();
    for (EffectRequest.Estimator e :
        new EffectRequest.Estimator[] {
          EffectRequest.Estimator.OLS,
          EffectRequest.Estimator.IPW,
          EffectRequest.Estimator.AIPW,
          EffectRequest.Estimator.DML
        }) {
      for (int n : new int[] {16, 40}) {
        int cov = 0;
        int covF = 0;
        int ok = 0;
        for (int s = 0; s < sets; s++) {
          Random r = new Random(500 + s);
          double[] a = new double[n];
          double[] x = new double[n];
          double[] y = new double[n];
          for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
            a[i] = i % 2;
            y[i] = 1.0 * a[i] + x[i] + (a[i] == 1 ? 1.5 : 1.0) * r.nextGaussian();
          }
          Map<String, double[]> c = new LinkedHashMap<>();
          c.put("a", a);
          c.put("x", x);
          c.put("y", y);
          try {
            EffectResult res =
                est.estimate(
                    EffectRequest.builder(UnitTable.ofNumeric(c), "a", "y")
                        .estimator(e)
                        .covariates(List.of("x"))
                        .build());
            ok++;
            double d = Math.abs(res.estimate() - 1.0);
            double z = res.diagnostics().uncertainty().criticalValue();
            cov += d <= z * res.se() ? 1 : 0;
            covF += d <= z * res.se() * Math.sqrt(n / (n - 1.0)) ? 1 : 0;
          } catch (CausalInputException ex) {
            // refused
          }
        }
        System.out.printf(
            "PROBE %s n=%d ok=%d coverage %.3f with n/(n-1) %.3f%n",
            e, n, ok, cov / (double) ok, covF / (double) ok);
      }
    }
  }
}
