package io.terrafield.causal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The correction advice on a simulated map: prediction = 0.7 label + gamma_s g + noise, where g is
 * the treated group (label shifted by 0.8 in the group). The reference is the contrast on the
 * labels.
 */
class CorrectionAdviceTest {
  private static final double K = 0.7;
  private final EffectEstimator estimator = new EffectEstimator();

  /** Calibration pairs in 8 strata; the group effect is gamma, alternating +-spread by stratum. */
  private static EffectRequest.Calibration calibration(
      double gamma, double spread, boolean withGroup, long seed) {
    return calibration(gamma, spread, 0.8, withGroup, seed);
  }

  /** As above, with the group's label shift on the calibration units. */
  private static EffectRequest.Calibration calibration(
      double gamma, double spread, double shift, boolean withGroup, long seed) {
    Random random = new Random(seed);
    int n = 2400;
    double[] p = new double[n];
    double[] l = new double[n];
    double[] g = new double[n];
    String[] strata = new String[n];
    for (int i = 0; i < n; i++) {
      int s = i % 8;
      g[i] = random.nextDouble() < 0.4 ? 1 : 0;
      l[i] = random.nextGaussian() + shift * g[i];
      double gammaS = gamma + (s % 2 == 0 ? spread : -spread);
      p[i] = K * l[i] + gammaS * g[i] + 0.4 * random.nextGaussian();
      strata[i] = "s" + s;
    }
    EffectRequest.Calibration c =
        new EffectRequest.Calibration(p, l, "simulated pairs").withStrata(strata);
    return withGroup ? c.withMembership(g) : c;
  }

  /** Target units: A = the group, outcome the map; the label is kept for the reference. */
  private static UnitTable units(double gamma, long seed) {
    Random random = new Random(seed);
    int n = 800;
    double[] a = new double[n];
    double[] label = new double[n];
    double[] map = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = random.nextDouble() < 0.4 ? 1 : 0;
      label[i] = random.nextGaussian() + 0.8 * a[i];
      map[i] = K * label[i] + gamma * a[i] + 0.4 * random.nextGaussian();
    }
    Map<String, double[]> columns = new LinkedHashMap<>();
    columns.put("a", a);
    columns.put("label", label);
    columns.put("map", map);
    return UnitTable.ofNumeric(columns);
  }

  private EffectResult estimate(
      UnitTable units, EffectRequest.Calibration calibration, EffectRequest.Correction c) {
    return estimator.estimate(
        EffectRequest.builder(units, "a", "map")
            .estimator(EffectRequest.Estimator.DIM)
            .correction(c)
            .calibration(calibration)
            .build());
  }

  private double truth(UnitTable units) {
    return estimator
        .estimate(
            EffectRequest.builder(units, "a", "label")
                .estimator(EffectRequest.Estimator.DIM)
                .build())
        .estimate();
  }

  /**
   * The last row: on the calibration units the group does not differ in the label, so dividing
   * their (noise) contrasts by k moves them away from the labels' contrasts; the held-out replay
   * shows it and the advice keeps the raw map although gamma = 0 points to LCC.
   */
  @ParameterizedTest(
      name = "gamma {0}, spread {1}, label shift {2}, group given {3}, seed {4} -> {5}")
  @CsvSource({
    "0.0, 0.0, 0.8, true, 2, lcc",
    "0.6, 0.0, 0.8, true, 2, lcc-group",
    "0.0, 0.4, 0.8, true, 2, none",
    "0.3, 0.0, 0.8, false, 2, none",
    "0.0, 0.0, 0.0, true, 3, none"
  })
  void recommendsTheCorrectionTheCalibrationChecksSupport(
      double gamma, double spread, double shift, boolean withGroup, long seed, String expected) {
    UnitTable units = units(gamma, 3);
    EffectResult r =
        estimate(
            units,
            calibration(gamma, spread, shift, withGroup, seed),
            EffectRequest.Correction.LCC);
    EffectResult.CorrectionAdvice advice = r.diagnostics().correctionAdvice();
    assertThat(advice.recommended()).isEqualTo(expected);
    assertThat(advice.reason()).isNotBlank();
    assertThat(advice.corrections())
        .extracting(EffectResult.CorrectionEstimate::correction)
        .startsWith("none", "lcc", "tweedie");
    assertThat(advice.checks().findings()).isNotEmpty();
    if (!withGroup) {
      assertThat(advice.reason()).contains("--calibration-group");
    }
    if (spread > 0) {
      assertThat(advice.checks().groupI2()).isGreaterThan(0.5);
    }
    if (withGroup) {
      assertThat(advice.checks().heldOutStrata()).isEqualTo(8);
    }
    if (shift == 0) {
      assertThat(advice.checks().heldOutMaeLcc()).isGreaterThan(advice.checks().heldOutMaeRaw());
      assertThat(advice.reason()).contains("replayed on the calibration strata");
    }
  }

  @Test
  void lccGroupRecoversTheLabelContrastWhereLccOverCorrectsAndWarns() {
    double gamma = 0.3;
    UnitTable units = units(gamma, 5);
    EffectRequest.Calibration cal = calibration(gamma, 0, true, 4);
    double truth = truth(units);
    EffectResult lcc = estimate(units, cal, EffectRequest.Correction.LCC);
    EffectResult group = estimate(units, cal, EffectRequest.Correction.LCC_GROUP);
    assertThat(group.correction()).isEqualTo("lcc-group");
    assertThat(group.estimate()).isCloseTo(truth, within(3 * group.se()));
    assertThat(lcc.estimate() - truth).isGreaterThan(gamma / K - 3 * lcc.se());
    assertThat(lcc.diagnostics().warnings())
        .anyMatch(w -> w.contains("requested correction 'lcc'") && w.contains("lcc-group"));
    assertThat(group.diagnostics().warnings()).noneMatch(w -> w.contains("requested correction"));
    EffectResult.CorrectionEstimate sideBySide =
        lcc.diagnostics().correctionAdvice().corrections().stream()
            .filter(e -> e.correction().equals("lcc-group"))
            .findFirst()
            .orElseThrow();
    assertThat(sideBySide.estimate()).isCloseTo(group.estimate(), within(1e-9));
  }

  @Test
  void aGroupEffectFittedWithoutTheEstimatorsCovariatesIsNotUsed() {
    UnitTable units = units(0.3, 9);
    double[] x = new double[units.rowCount()];
    Random random = new Random(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextGaussian();
    }
    EffectResult r =
        estimator.estimate(
            EffectRequest.builder(units.withNumericColumn("x", x), "a", "map")
                .covariates(java.util.List.of("x"))
                .estimator(EffectRequest.Estimator.OLS)
                .correction(EffectRequest.Correction.LCC)
                .calibration(calibration(0.3, 0, true, 8))
                .build());
    assertThat(r.diagnostics().correctionAdvice().recommended()).isEqualTo("none");
    assertThat(r.diagnostics().correctionAdvice().reason()).contains("adjusts for x");
  }

  @Test
  void theRequestedCorrectionsNumbersAreTheResultsOwn() {
    UnitTable units = units(0, 7);
    EffectResult r = estimate(units, calibration(0, 0, true, 6), EffectRequest.Correction.TWEEDIE);
    EffectResult.CorrectionEstimate own =
        r.diagnostics().correctionAdvice().corrections().stream()
            .filter(e -> e.correction().equals("tweedie"))
            .findFirst()
            .orElseThrow();
    assertThat(own.estimate()).isEqualTo(r.estimate());
    assertThat(own.ciLow()).isEqualTo(r.ciLow());
    assertThat(own.ciHigh()).isEqualTo(r.ciHigh());
  }

  @Test
  void badGroupValuesAndAMissingGroupAreNamed() {
    double[] p = {0.1, 0.2, 0.3};
    double[] l = {0.0, 0.5, 1.0};
    assertThatThrownBy(
            () -> new EffectRequest.Calibration(p, l, "x").withMembership(new double[] {0, 2, 1}))
        .isInstanceOf(CausalInputException.class)
        .hasMessageContaining("calibration group row 2: value 2.0 is not binary");
    assertThat(
            new EffectRequest.Calibration(p, l, "x")
                .withMembership(new double[] {0, Double.NaN, 1})
                .membership())
        .as("NaN: a calibration unit in neither arm")
        .hasSize(3);
    assertThatThrownBy(
            () ->
                EffectRequest.builder(units(0, 1), "a", "map")
                    .correction(EffectRequest.Correction.LCC_GROUP)
                    .calibration(new EffectRequest.Calibration(p, l, "x"))
                    .build())
        .isInstanceOf(CausalInputException.class)
        .hasMessageContaining("'lcc-group' needs the treatment rule");
    assertThat(EffectRequest.Correction.parse("lcc-group"))
        .isEqualTo(EffectRequest.Correction.LCC_GROUP);
    assertThatThrownBy(() -> EffectRequest.Correction.parse("lcc_grp"))
        .hasMessageContaining("correction 'lcc_grp' is not one of");
  }
}
