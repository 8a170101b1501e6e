package io.terrafield.causal;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.causal.experiments.ConfoundedSimulation;
import io.terrafield.causal.experiments.MethodSummary;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The refusals triggered by diagnostics computed from the data (issue 16, {@link ModelChecks}): DiM
 * under covariate imbalance, linear learners under nonlinear confounding; never the linear learners
 * under linear confounding. Seeded, at small replication counts.
 */
class DataDrivenRefusalTest {

  private static final ConfoundedSimulation LINEAR = ConfoundedSimulation.defaults();
  private static final ConfoundedSimulation NONLINEAR =
      LINEAR.withDesign(ConfoundedSimulation.Design.NONLINEAR);

  @Test
  void linearLearnersUnderLinearConfoundingAreNotRefusedAndDimIs() {
    List<MethodSummary> rows = LINEAR.withReplications(10).run(r -> {});
    rows.forEach(row -> System.out.println(row.row()));
    assertThat(rows.get(0).refusal())
        .contains("estimator 'dim' is refused")
        .contains("covariates unbalanced")
        .contains("x1 SMD");
    for (MethodSummary row : rows.subList(1, 4)) {
      assertThat(row.refusal()).as(row.method()).isNull();
      assertThat(row.method()).doesNotContain("refused");
      assertThat(row.replications()).isEqualTo(10);
    }
  }

  @Test
  void linearLearnersUnderNonlinearConfoundingAreRefusedWithTheNumbers() {
    List<MethodSummary> rows = NONLINEAR.withReplications(10).run(r -> {});
    rows.forEach(row -> System.out.println(row.row()));
    assertThat(rows.get(0).refusal()).contains("covariates unbalanced");
    for (MethodSummary row : rows.subList(1, 4)) {
      assertThat(row.refusal())
          .as(row.method())
          .contains("with learner 'linear' is refused")
          .contains("cubic basis")
          .contains("--learner boosting");
    }
  }

  /** The margins of the misfit check in both designs (printed; thresholds 0.1 and 0.05). */
  @Test
  void misfitMarginsSeparateTheDesigns() {
    for (ConfoundedSimulation sim : List.of(LINEAR, NONLINEAR)) {
      double maxOutcome = Double.NEGATIVE_INFINITY;
      double maxTreat = Double.NEGATIVE_INFINITY;
      double minOutcome = Double.POSITIVE_INFINITY;
      double minTreat = Double.POSITIVE_INFINITY;
      for (int r = 0; r < 10; r++) {
        UnitTable t = sim.draw(new Random(sim.seed() + 104729L * r));
        double[] a0 = t.numeric("a", "treatment");
        int[] a = new int[a0.length];
        double[][] x = new double[a0.length][5];
        for (int i = 0; i < a.length; i++) {
          a[i] = (int) a0[i];
        }
        for (int j = 0; j < 5; j++) {
          double[] col = t.numeric("x" + (j + 1), "covariate");
          for (int i = 0; i < a.length; i++) {
            x[i][j] = col[i];
          }
        }
        ModelChecks.Misfit m =
            ModelChecks.misfit(x, a, t.numeric("y", "outcome"), sim.folds(), sim.seed() + r);
        double go = m.outcomeR2Reference() - m.outcomeR2();
        double gt = m.treatR2Ref() - m.treatR2();
        maxOutcome = Math.max(maxOutcome, go);
        maxTreat = Math.max(maxTreat, gt);
        minOutcome = Math.min(minOutcome, go);
        minTreat = Math.min(minTreat, gt);
      }
      System.out.printf(
          Locale.ROOT,
          "%s: outcome R2 gain [%.3f, %.3f], treatment pseudo-R2 gain [%.3f, %.3f]%n",
          sim.design(),
          minOutcome,
          maxOutcome,
          minTreat,
          maxTreat);
      if (sim.design() == ConfoundedSimulation.Design.LINEAR) {
        assertThat(maxOutcome).isLessThan(ModelChecks.R2_GAIN);
        assertThat(maxTreat).isLessThan(ModelChecks.PSEUDO_R2_GAIN);
      } else {
        assertThat(minOutcome).isGreaterThan(ModelChecks.R2_GAIN);
      }
    }
  }
}
