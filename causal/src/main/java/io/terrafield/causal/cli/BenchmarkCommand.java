package io.terrafield.causal.cli;

import io.terrafield.causal.EffectEstimator;
import io.terrafield.causal.EffectRequest;
import io.terrafield.causal.EffectResult;
import io.terrafield.causal.UnitTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code effect benchmark}: AIPW with cross-fitting on a large synthetic study, timed. */
@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    description = "Time AIPW (K-fold cross-fitting) and its bootstraps on synthetic data.")
final class BenchmarkCommand implements Callable<Integer> {

  @Option(
      names = "--units",
      defaultValue = "20000",
      description = "synthetic units (rows) of the study (default: ${DEFAULT-VALUE})")
  int units;

  @Option(
      names = "--covariates",
      defaultValue = "20",
      description = "synthetic Gaussian confounders (columns) (default: ${DEFAULT-VALUE})")
  int covariates;

  @Option(
      names = "--folds",
      defaultValue = "5",
      description = "cross-fitting folds of AIPW; 1 = no cross-fitting (default: ${DEFAULT-VALUE})")
  int folds;

  @Option(
      names = "--bootstrap-reps",
      defaultValue = "1000",
      description =
          "replications of the multiplier bootstrap, at least 2 (default: ${DEFAULT-VALUE})")
  int bootstrapReps;

  @Option(
      names = "--learners",
      split = ",",
      defaultValue = "linear,boosting",
      description =
          "nuisance learners to time, comma-separated: linear, boosting (default:"
              + " ${DEFAULT-VALUE})")
  List<String> learners;

  @Option(
      names = "--nonparametric-reps",
      defaultValue = "1000",
      description =
          "replications of the refitting (nonparametric) bootstrap, timed for the linear"
              + " learner only; 0 or 1 skips it (default: ${DEFAULT-VALUE})")
  int nonparametricReps;

  @Override
  public Integer call() {
    Random random = new Random(99);
    Map<String, double[]> columns = new LinkedHashMap<>();
    double[] a = new double[units];
    double[] y = new double[units];
    double[][] x = new double[covariates][units];
    List<String> names = new ArrayList<>();
    for (int j = 0; j < covariates; j++) {
      names.add("x" + (j + 1));
    }
    for (int i = 0; i < units; i++) {
      double score = 0;
      double mean = 0;
      for (int j = 0; j < covariates; j++) {
        x[j][i] = random.nextGaussian();
        score += (j % 3 == 0 ? 0.3 : -0.1) * x[j][i];
        mean += 0.5 * x[j][i] / (1 + j);
      }
      a[i] = random.nextDouble() < 1 / (1 + Math.exp(-score)) ? 1 : 0;
      y[i] = 1.0 * a[i] + mean + random.nextGaussian();
    }
    columns.put("a", a);
    columns.put("y", y);
    for (int j = 0; j < covariates; j++) {
      columns.put(names.get(j), x[j]);
    }
    UnitTable table = UnitTable.ofNumeric(columns);
    EffectEstimator estimator = new EffectEstimator();
    estimator.estimate(
        EffectRequest.builder(table, "a", "y")
            .covariates(names)
            .estimator(EffectRequest.Estimator.AIPW)
            .build());
    System.out.printf(
        Locale.ROOT,
        "AIPW benchmark: %d units x %d covariates, %d-fold cross-fitting, true ATE 1.0, %d"
            + " cores (after one warm-up fit)%n",
        units,
        covariates,
        folds,
        Runtime.getRuntime().availableProcessors());
    System.out.printf(
        Locale.ROOT,
        "%-10s %-24s %8s %10s %10s %10s%n",
        "learner",
        "SE method",
        "reps",
        "estimate",
        "se",
        "seconds");
    for (String learnerName : learners) {
      EffectRequest.Learner learner = EffectRequest.Learner.parse(learnerName);
      List<EffectRequest.Bootstrap> methods = new ArrayList<>();
      methods.add(EffectRequest.Bootstrap.NONE);
      methods.add(EffectRequest.Bootstrap.MULTIPLIER);
      if (nonparametricReps > 1 && learner == EffectRequest.Learner.LINEAR) {
        methods.add(EffectRequest.Bootstrap.NONPARAMETRIC);
      }
      for (EffectRequest.Bootstrap method : methods) {
        EffectRequest.Options options =
            new EffectRequest.Options(
                0.95,
                folds,
                learner,
                EffectRequest.DmlModel.PLR,
                0.01,
                method,
                method == EffectRequest.Bootstrap.NONPARAMETRIC ? nonparametricReps : bootstrapReps,
                0,
                EffectRequest.MissingPolicy.ERROR,
                7L);
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        EffectResult r =
            estimator.estimate(
                EffectRequest.builder(table, "a", "y")
                    .covariates(names)
                    .estimator(EffectRequest.Estimator.AIPW)
                    .options(options)
                    .build());
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "%-10s %-24s %8d %10.4f %10.4f %10.2f %10.2f%n",
            learnerName,
            r.diagnostics().uncertainty().method(),
            r.diagnostics().uncertainty().replications(),
            r.estimate(),
            r.se(),
            seconds,
            cpuSeconds);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "load average at the end: %.2f%n",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return 0;
  }

  /** CPU time of this JVM (all threads), so that contention on a shared machine is visible. */
  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }
}
