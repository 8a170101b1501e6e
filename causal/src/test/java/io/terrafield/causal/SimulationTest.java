package io.terrafield.causal;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.causal.experiments.ConfoundedSimulation;
import io.terrafield.causal.experiments.MethodSummary;
import io.terrafield.causal.experiments.PaperSimulation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statistical acceptance criteria, at the full replication counts. */
class SimulationTest {

  @Test
  void paperSimulationCorrectionsRemoveAttenuationWithCalibratedCis() {
    List<MethodSummary> rows = PaperSimulation.defaults().withReplications(200).run(r -> {});
    MethodSummary raw = rows.get(1);
    MethodSummary lcc = rows.get(2);
    MethodSummary tweedie = rows.get(3);
    assertThat(raw.meanEstimate()).isLessThan(0.85);
    for (MethodSummary corrected : List.of(lcc, tweedie)) {
      assertThat(Math.abs(corrected.relativeBias())).as(corrected.method()).isLessThan(0.10);
      assertThat(corrected.coverage()).as(corrected.method()).isBetween(0.85, 0.95);
    }
  }

  /**
   * Boosting at a reduced replication count (12; the full tables are in causal/README.md): AIPW and
   * DML stay within 5 % of tau, IPW is refused with the reason.
   */
  @Test
  void boostedAipwAndDmlPassTheConfoundedSimulationAndBoostedIpwIsRefused() {
    List<MethodSummary> rows =
        ConfoundedSimulation.defaults()
            .withReplications(12)
            .withLearner(EffectRequest.Learner.BOOSTING, 1000)
            .run(r -> {});
    rows.forEach(row -> System.out.println(row.row()));
    assertThat(rows.get(1).refusal()).contains("refused").contains("aipw or dml");
    for (MethodSummary row : rows.subList(2, 4)) {
      assertThat(row.refusal()).as(row.method()).isNull();
      assertThat(Math.abs(row.relativeBias())).as(row.method()).isLessThan(0.05);
      assertThat(row.coverage()).as(row.method()).isGreaterThanOrEqualTo(0.75);
    }
  }

  /**
   * Nonlinear confounding (X1^2, sin(2 X2)): the linear learners are refused (their held-out fit is
   * far below a cubic basis'), boosting removes the bias (reduced replication counts: 20 linear, 12
   * boosting).
   */
  @Test
  void nonlinearConfoundingDefeatsLinearLearnersAndBoostingRemovesTheBias() {
    ConfoundedSimulation nonlinear =
        ConfoundedSimulation.defaults().withDesign(ConfoundedSimulation.Design.NONLINEAR);
    List<MethodSummary> linear = nonlinear.withReplications(20).run(r -> {});
    List<MethodSummary> boosted =
        nonlinear
            .withReplications(12)
            .withLearner(EffectRequest.Learner.BOOSTING, 1000)
            .run(r -> {});
    boosted.forEach(row -> System.out.println(row.row()));
    assertThat(boosted.get(1).refusal()).contains("refused").contains("aipw or dml");
    for (int m = 1; m < 4; m++) {
      // refused by the held-out misfit check (ModelChecks); before it, +105 % with coverage 0
      assertThat(linear.get(m).refusal()).as("linear").contains("with learner 'linear' is refused");
    }
    for (int m = 2; m < 4; m++) {
      assertThat(boosted.get(m).refusal()).as(boosted.get(m).method()).isNull();
      assertThat(Math.abs(boosted.get(m).relativeBias()))
          .as(boosted.get(m).method())
          .isLessThan(NONLINEAR_BOOSTED_BIAS);
      assertThat(boosted.get(m).coverage())
          .as(boosted.get(m).method())
          .isGreaterThanOrEqualTo(0.75);
    }
  }

  private static final double NONLINEAR_BOOSTED_BIAS = 0.05;

  @Test
  void theTableDoesNotDependOnTheThreadCount() {
    ConfoundedSimulation sim = ConfoundedSimulation.defaults().withReplications(8);
    assertThat(sim.run(r -> {}, 3)).isEqualTo(sim.run(r -> {}, 1));
  }

  @Test
  void confoundedSimulationAipwAndDmlAreUnbiasedWithNominalCoverage() {
    List<MethodSummary> rows = ConfoundedSimulation.defaults().withReplications(500).run(r -> {});
    MethodSummary dim = rows.get(0);
    assertThat(dim.refusal()).contains("covariates unbalanced");
    assertThat(rows.get(1).refusal()).isNull();
    for (MethodSummary row : rows.subList(2, 4)) {
      assertThat(Math.abs(row.relativeBias())).as(row.method()).isLessThan(0.05);
      assertThat(row.coverage()).as(row.method()).isBetween(0.93, 0.97);
    }
  }
}
