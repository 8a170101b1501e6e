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

  @Test
  void confoundedSimulationAipwAndDmlAreUnbiasedWithNominalCoverage() {
    List<MethodSummary> rows = ConfoundedSimulation.defaults().withReplications(500).run(r -> {});
    MethodSummary dim = rows.get(0);
    assertThat(Math.abs(dim.relativeBias())).isGreaterThan(0.10);
    for (MethodSummary row : rows.subList(2, 4)) {
      assertThat(Math.abs(row.relativeBias())).as(row.method()).isLessThan(0.05);
      assertThat(row.coverage()).as(row.method()).isBetween(0.93, 0.97);
    }
  }
}
