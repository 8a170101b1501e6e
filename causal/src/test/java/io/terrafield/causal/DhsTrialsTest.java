package io.terrafield.causal;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.causal.experiments.DhsTrials;
import io.terrafield.causal.experiments.DhsTrials.Design;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "One map, many trials" on the real DHS clusters (8 random trials per family and country, every
 * calibration design): what the data show, asserted.
 */
class DhsTrialsTest {

  private static List<DhsTrials.Trial> results;
  private static List<DhsTrials.Summary> summaries;

  @BeforeAll
  static void runTrials() throws Exception {
    Path csv = TestData.root().resolve("causal/dhs_wealth_predictions_ooc.csv");
    DhsTrials base = DhsTrials.defaults(csv);
    DhsTrials trials =
        new DhsTrials(csv, base.model(), 8, base.estimator(), base.inCountryShare(), base.seed());
    results = trials.run(c -> {});
    summaries = DhsTrials.summarize(results);
  }

  @Test
  void correctionsBeatRawPredictionsOnThePaperDesignTrialsUnderEveryCalibrationDesign() {
    for (Design design : Design.values()) {
      DhsTrials.Summary paper = DhsTrials.find(summaries, "paper", design);
      assertThat(paper.trials()).as(design.label()).isGreaterThan(100);
      assertThat(paper.maeLcc()).as(design.label()).isLessThan(paper.maeRaw());
      assertThat(paper.maeTweedie()).as(design.label()).isLessThan(paper.maeRaw());
      assertThat(paper.tweedieBetter()).as(design.label()).isGreaterThan(0.5);
    }
  }

  @Test
  void correctionsBeatRawPredictionsOnWealthTargetedTrials() {
    for (Design design : Design.values()) {
      DhsTrials.Summary targeted = DhsTrials.find(summaries, "targeted", design);
      assertThat(targeted.slopeRaw()).as(design.label()).isLessThan(0.85);
      assertThat(targeted.maeLcc()).as(design.label()).isLessThan(targeted.maeRaw());
      assertThat(targeted.maeTweedie()).as(design.label()).isLessThan(targeted.maeRaw());
    }
  }

  @Test
  void withinCountryCalibrationImprovesOnPooledForTheMainDesign() {
    DhsTrials.Summary pooled = DhsTrials.find(summaries, "paper", Design.OOC_POOLED);
    DhsTrials.Summary within = DhsTrials.find(summaries, "paper", Design.OOC_WITHIN);
    assertThat(within.maeLcc()).isLessThan(pooled.maeLcc());
  }

  @Test
  void imageVisibleContrastsAreBarelyAttenuatedSoRawPredictionsStayCloser() {
    for (Design design : Design.values()) {
      DhsTrials.Summary visible = DhsTrials.find(summaries, "image-visible", design);
      assertThat(visible.slopeRaw()).as(design.label()).isGreaterThan(0.85);
      assertThat(visible.maeRaw()).as(design.label()).isLessThan(visible.maeTweedie());
    }
  }

  @Test
  void contrastLevelCalibrationFromOtherCountriesBeatsRawOnThePaperDesign() {
    DhsTrials.ContrastSummary paper =
        DhsTrials.contrastCalibration(results).stream()
            .filter(s -> s.group().equals("paper"))
            .findFirst()
            .orElseThrow();
    assertThat(paper.maeCorrected()).isLessThan(paper.maeRaw());
    assertThat(paper.meanSlope()).isBetween(0.6, 0.9);
  }
}
