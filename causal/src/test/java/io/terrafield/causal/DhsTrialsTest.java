package io.terrafield.causal;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.causal.experiments.DhsTrials;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DhsTrialsTest {

  @Test
  void correctionsBeatRawPredictionsWhereTheirAssumptionHolds() throws Exception {
    Path csv = TestData.root().resolve("causal/dhs_wealth_predictions_ooc.csv");
    DhsTrials base = DhsTrials.defaults(csv);
    DhsTrials trials = new DhsTrials(csv, base.model(), 8, base.estimator(), base.seed());
    List<DhsTrials.Summary> summary = DhsTrials.summarize(trials.run(c -> {}));
    DhsTrials.Summary targeted =
        summary.stream().filter(s -> s.group().equals("targeted")).findFirst().orElseThrow();
    assertThat(targeted.trials()).isGreaterThan(100);
    assertThat(targeted.slopeRaw()).isLessThan(0.85);
    assertThat(targeted.maeLcc()).isLessThan(targeted.maeRaw());
    assertThat(targeted.maeTweedie()).isLessThan(targeted.maeRaw());
  }
}
