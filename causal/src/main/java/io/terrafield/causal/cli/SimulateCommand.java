package io.terrafield.causal.cli;

import io.terrafield.causal.EffectRequest;
import io.terrafield.causal.experiments.ConfoundedSimulation;
import io.terrafield.causal.experiments.MethodSummary;
import io.terrafield.causal.experiments.PaperSimulation;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code effect simulate paper|confounded}: Monte-Carlo tables with known truth. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Run the paper's simulation or the confounded simulation and print a table.")
final class SimulateCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      description =
          "paper, confounded (linear confounding) or nonlinear (confounding through X1^2 and"
              + " sin(2 X2))")
  String which;

  @Option(
      names = "--replications",
      description =
          "Monte-Carlo replications (simulated studies) (default: 200 for paper, 1000 for"
              + " confounded and nonlinear)")
  Integer replications;

  @Option(
      names = "--learner",
      defaultValue = "linear",
      description =
          "confounded/nonlinear: nuisance learner of ipw, aipw and dml, linear or boosting"
              + " (default: ${DEFAULT-VALUE})")
  String learner;

  @Option(
      names = "--units",
      description = "confounded/nonlinear: units per replication (default: 1000)")
  Integer units;

  @Option(
      names = "--threads",
      description =
          "confounded/nonlinear: replications run in parallel on this many threads (default: the"
              + " available processors; the table does not depend on it)")
  Integer threads;

  @Override
  public Integer call() {
    List<MethodSummary> rows;
    String title;
    if (which.equalsIgnoreCase("paper")) {
      PaperSimulation sim = PaperSimulation.defaults();
      if (replications != null) {
        sim = sim.withReplications(replications);
      }
      try (ProgressBar bar = ProgressBars.create("paper simulation", sim.replications())) {
        rows = sim.run(r -> bar.step());
      }
      title =
          String.format(
              Locale.ROOT,
              "Paper simulation: tau=%.1f, %d study units, %d training, %d calibration, %d PPI"
                  + " labels, estimator %s adjusting for C, %.0f%% CIs",
              sim.tau(),
              sim.studyUnits(),
              sim.trainingUnits(),
              sim.calibrationUnits(),
              sim.ppiLabels(),
              sim.estimator().name().toLowerCase(Locale.ROOT),
              sim.level() * 100);
      print(title, rows);
      MethodSummary raw = rows.get(1);
      System.out.printf(
          Locale.ROOT,
          "attenuation factor of raw predictions: %.3f (mean raw estimate / tau)%n",
          raw.meanEstimate() / sim.tau());
    } else if (which.equalsIgnoreCase("confounded") || which.equalsIgnoreCase("nonlinear")) {
      ConfoundedSimulation sim =
          ConfoundedSimulation.defaults()
              .withDesign(
                  which.equalsIgnoreCase("nonlinear")
                      ? ConfoundedSimulation.Design.NONLINEAR
                      : ConfoundedSimulation.Design.LINEAR);
      if (replications != null) {
        sim = sim.withReplications(replications);
      }
      sim =
          sim.withLearner(
              EffectRequest.Learner.parse(learner), units == null ? sim.units() : units);
      int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
      if (workers < 1) {
        throw new IllegalArgumentException("--threads must be at least 1, got " + workers);
      }
      try (ProgressBar bar = ProgressBars.create("confounded simulation", sim.replications())) {
        rows =
            sim.run(
                r -> {
                  synchronized (bar) {
                    bar.step();
                  }
                },
                workers);
      }
      title =
          String.format(
              Locale.ROOT,
              "Confounded simulation (%s confounding): tau=%.1f, %d units, 5 covariates, %d-fold"
                  + " cross-fitting, %s learners, %.0f%% CIs",
              sim.design().name().toLowerCase(Locale.ROOT),
              sim.tau(),
              sim.units(),
              sim.folds(),
              sim.learner().name().toLowerCase(Locale.ROOT),
              sim.level() * 100);
      print(title, rows);
    } else {
      throw new IllegalArgumentException(
          "simulation '" + which + "' is not one of: paper, confounded, nonlinear");
    }
    return 0;
  }

  private static void print(String title, List<MethodSummary> rows) {
    System.out.println(title);
    System.out.println(MethodSummary.header());
    for (MethodSummary row : rows) {
      System.out.println(row.row());
    }
  }
}
