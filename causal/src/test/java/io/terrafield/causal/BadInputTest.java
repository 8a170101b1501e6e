package io.terrafield.causal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BadInputTest {
  private final EffectEstimator estimator = new EffectEstimator();

  private EffectResult run(Map<String, double[]> columns, EffectRequest.Estimator kind) {
    return estimator.estimate(
        EffectRequest.builder(UnitTable.ofNumeric(columns), "a", "y")
            .covariates(List.of("x1", "x2"))
            .estimator(kind)
            .build());
  }

  @Test
  void missingTreatmentColumnIsNamed() {
    assertThatThrownBy(
            () ->
                estimator.estimate(
                    EffectRequest.builder(Fixtures.table(100, 1, 1), "treated", "y").build()))
        .isInstanceOf(CausalInputException.class)
        .hasMessageContaining("treatment column 'treated' not found");
  }

  @Test
  void nonBinaryTreatmentNamesRowAndValue() {
    Map<String, double[]> c = Fixtures.confounded(100, 1, 1);
    c.get("a")[6] = 2.0;
    assertThatThrownBy(() -> run(c, EffectRequest.Estimator.AIPW))
        .hasMessageContaining("treatment column 'a' row 7: value 2.0 is not binary");
  }

  @Test
  void missingTreatmentValueIsNamed() {
    Map<String, double[]> c = Fixtures.confounded(100, 1, 1);
    c.get("a")[3] = Double.NaN;
    assertThatThrownBy(() -> run(c, EffectRequest.Estimator.AIPW))
        .hasMessageContaining("treatment column 'a' row 4 is missing");
  }

  @Test
  void noTreatedOrNoControlUnits() {
    Map<String, double[]> c = Fixtures.confounded(100, 1, 1);
    java.util.Arrays.fill(c.get("a"), 0.0);
    assertThatThrownBy(() -> run(c, EffectRequest.Estimator.DIM))
        .hasMessageContaining("no treated units: treatment column 'a' is 0 for all 100 units");
    java.util.Arrays.fill(c.get("a"), 1.0);
    assertThatThrownBy(() -> run(c, EffectRequest.Estimator.DIM))
        .hasMessageContaining("no control units");
  }

  @Test
  void perfectSeparationIsAnErrorForWeightingEstimatorsAndAWarningForOls() {
    Map<String, double[]> c = Fixtures.confounded(300, 1, 1);
    for (int i = 0; i < 300; i++) {
      c.get("a")[i] = c.get("x1")[i] > 0 ? 1 : 0;
    }
    for (EffectRequest.Estimator kind :
        List.of(EffectRequest.Estimator.IPW, EffectRequest.Estimator.AIPW)) {
      assertThatThrownBy(() -> run(c, kind))
          .isInstanceOf(CausalInputException.class)
          .hasMessageContaining("perfect separation")
          .hasMessageContaining("'x1' alone");
    }
    EffectResult ols = run(c, EffectRequest.Estimator.OLS);
    assertThat(ols.diagnostics().warnings()).anyMatch(w -> w.contains("perfect separation"));
  }

  @Test
  void constantOutcomeIsAnError() {
    Map<String, double[]> c = Fixtures.confounded(100, 1, 1);
    java.util.Arrays.fill(c.get("y"), 3.5);
    assertThatThrownBy(() -> run(c, EffectRequest.Estimator.AIPW))
        .hasMessageContaining("outcome column 'y' is constant (3.5 for all 100 units)");
  }

  @Test
  void nanCovariatesAreAnErrorOrDroppedWithANote() {
    Map<String, double[]> c = Fixtures.confounded(400, 1, 1);
    c.get("x2")[16] = Double.NaN;
    c.get("x2")[20] = Double.NaN;
    assertThatThrownBy(() -> run(c, EffectRequest.Estimator.AIPW))
        .hasMessageContaining("covariate column 'x2' has 2 missing (NaN) values, first at row 17");
    EffectRequest.Options drop =
        new EffectRequest.Options(
            0.95,
            5,
            EffectRequest.Learner.LINEAR,
            EffectRequest.DmlModel.PLR,
            0.01,
            EffectRequest.Bootstrap.NONE,
            1000,
            200,
            EffectRequest.MissingPolicy.DROP,
            1);
    EffectResult r =
        estimator.estimate(
            EffectRequest.builder(UnitTable.ofNumeric(c), "a", "y")
                .covariates(List.of("x1", "x2"))
                .options(drop)
                .build());
    assertThat(r.n()).isEqualTo(398);
    assertThat(r.diagnostics().notes()).anyMatch(n -> n.startsWith("dropped 2 of 400 units"));
  }

  @Test
  void zeroSlopeCalibrationIsAnError() {
    java.util.Random random = new java.util.Random(1);
    double[] p = new double[200];
    double[] l = new double[200];
    for (int i = 0; i < 200; i++) {
      p[i] = random.nextGaussian();
      l[i] = random.nextGaussian();
    }
    for (EffectRequest.Correction correction :
        List.of(EffectRequest.Correction.LCC, EffectRequest.Correction.TWEEDIE)) {
      assertThatThrownBy(
              () ->
                  estimator.estimate(
                      EffectRequest.builder(Fixtures.table(300, 1, 1), "a", "y")
                          .correction(correction)
                          .calibration(new EffectRequest.Calibration(p, l, "noise"))
                          .build()))
          .hasMessageContaining("calibration slope k =")
          .hasMessageContaining("not distinguishably positive");
    }
  }

  @Test
  void smallCalibrationSetAndOutOfRangePredictionsWarn() {
    double[] p = {-0.5, -0.2, 0.0, 0.1, 0.3, 0.4, 0.6, 0.2, -0.1, 0.05};
    double[] l = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      l[i] = p[i] / 0.7 + 0.01 * (i % 3 - 1);
    }
    EffectResult r =
        estimator.estimate(
            EffectRequest.builder(Fixtures.table(300, 1, 1), "a", "y")
                .estimator(EffectRequest.Estimator.DIM)
                .correction(EffectRequest.Correction.TWEEDIE)
                .calibration(new EffectRequest.Calibration(p, l, "tiny"))
                .build());
    assertThat(r.diagnostics().warnings())
        .anyMatch(w -> w.contains("calibration set is small (n = 10"))
        .anyMatch(w -> w.contains("outside the calibration predictions' range"));
  }

  @Test
  void badEnumValuesAreNamed() {
    assertThatThrownBy(() -> EffectRequest.Estimator.parse("tmle"))
        .hasMessage("estimator 'tmle' is not one of: dim, ols, ipw, aipw, dml");
  }
}
