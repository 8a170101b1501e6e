package io.terrafield.causal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.terrafield.causal.EffectRequest.Estimand;
import io.terrafield.causal.EffectRequest.Estimator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EffectEstimatorTest {
  private final EffectEstimator estimator = new EffectEstimator();

  static Stream<Arguments> adjustingEstimators() {
    List<Arguments> out = new ArrayList<>();
    for (Estimator e : List.of(Estimator.OLS, Estimator.IPW, Estimator.AIPW, Estimator.DML)) {
      for (Estimand d : Estimand.values()) {
        out.add(Arguments.of(e, d));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("adjustingEstimators")
  void adjustingEstimatorsRecoverTheEffectWithinFourSe(Estimator kind, Estimand estimand) {
    EffectResult r =
        estimator.estimate(
            EffectRequest.builder(Fixtures.table(4000, 2.0, 1), "a", "y")
                .covariates(List.of("x1", "x2"))
                .estimator(kind)
                .estimand(estimand)
                .build());
    assertThat(r.estimate()).isCloseTo(2.0, within(4 * r.se()));
    assertThat(r.se()).isBetween(0.02, 0.2);
    assertThat(r.ciLow()).isLessThan(r.estimate());
    assertThat(r.diagnostics().balance()).hasSize(2);
    assertThat(r.diagnostics().overlap()).isNotNull();
    assertThat(r.diagnostics().sensitivity().summary()).contains("risk ratio");
  }

  @Test
  void differenceInMeansIsBiasedByConfoundingAndMatchesByHand() {
    Map<String, double[]> c = Fixtures.confounded(3000, 2.0, 2);
    double s1 = 0;
    double s0 = 0;
    int n1 = 0;
    for (int i = 0; i < 3000; i++) {
      if (c.get("a")[i] == 1) {
        s1 += c.get("y")[i];
        n1++;
      } else {
        s0 += c.get("y")[i];
      }
    }
    EffectResult r =
        estimator.estimate(
            EffectRequest.builder(UnitTable.ofNumeric(c), "a", "y")
                .estimator(Estimator.DIM)
                .build());
    assertThat(r.estimate()).isCloseTo(s1 / n1 - s0 / (3000 - n1), within(1e-12));
    assertThat(r.estimate()).isGreaterThan(2.3);
  }

  @Test
  void boostedLearnersWork() {
    EffectResult r =
        estimator.estimate(
            EffectRequest.builder(Fixtures.table(1500, 2.0, 3), "a", "y")
                .covariates(List.of("x1", "x2"))
                .estimator(Estimator.AIPW)
                .options(options(EffectRequest.Learner.BOOSTING, EffectRequest.Bootstrap.NONE))
                .build());
    assertThat(r.estimate()).isCloseTo(2.0, within(4 * r.se()));
    assertThat(r.diagnostics().overlap().model())
        .contains("cross-fitted in 5 folds")
        .contains("Platt-calibrated");
  }

  @Test
  void ipwWithBoostedPropensitiesIsRefusedWithTheReason() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                estimator.estimate(
                    EffectRequest.builder(Fixtures.table(400, 2.0, 3), "a", "y")
                        .covariates(List.of("x1", "x2"))
                        .estimator(Estimator.IPW)
                        .options(
                            options(EffectRequest.Learner.BOOSTING, EffectRequest.Bootstrap.NONE))
                        .build()))
        .isInstanceOf(CausalInputException.class)
        .hasMessageContaining("'ipw' with learner 'boosting' is refused")
        .hasMessageContaining("aipw or dml");
  }

  @Test
  void clusterConleyAndBootstrapSesAgreeWithInfluenceSeWhenUnitsAreIndependent() {
    UnitTable table = Fixtures.table(2000, 1.0, 4);
    EffectRequest.Builder base =
        EffectRequest.builder(table, "a", "y").covariates(List.of("x1", "x2"));
    double iid = estimator.estimate(base.build()).se();
    EffectResult clustered = estimator.estimate(base.cluster("region").build());
    assertThat(clustered.diagnostics().uncertainty().clusters()).isEqualTo(40);
    assertThat(clustered.se()).isBetween(0.6 * iid, 1.6 * iid);
    EffectResult conley =
        estimator.estimate(
            EffectRequest.builder(table, "a", "y")
                .covariates(List.of("x1", "x2"))
                .spatial(new EffectRequest.SpatialCutoff("lat", "lon", 0.001))
                .build());
    assertThat(conley.diagnostics().uncertainty().method()).isEqualTo("conley");
    assertThat(conley.se()).isCloseTo(iid, within(1e-9));
    EffectResult multiplier =
        estimator.estimate(
            EffectRequest.builder(table, "a", "y")
                .covariates(List.of("x1", "x2"))
                .options(options(EffectRequest.Learner.LINEAR, EffectRequest.Bootstrap.MULTIPLIER))
                .build());
    assertThat(multiplier.se()).isCloseTo(iid, within(0.1 * iid));
    EffectResult nonparametric =
        estimator.estimate(
            EffectRequest.builder(table, "a", "y")
                .covariates(List.of("x1", "x2"))
                .estimator(Estimator.OLS)
                .options(
                    new EffectRequest.Options(
                        0.95,
                        5,
                        EffectRequest.Learner.LINEAR,
                        EffectRequest.DmlModel.PLR,
                        0.01,
                        EffectRequest.Bootstrap.NONPARAMETRIC,
                        200,
                        0,
                        EffectRequest.MissingPolicy.ERROR,
                        3))
                .build());
    assertThat(nonparametric.diagnostics().uncertainty().replications()).isEqualTo(200);
    assertThat(nonparametric.se()).isBetween(0.75 * iid, 1.25 * iid);
  }

  @Test
  void ppiCombinesPredictionsWithFreshLabels() {
    Map<String, double[]> c = Fixtures.confounded(2000, 1.0, 5);
    double[] y = c.get("y");
    double[] shrunk = new double[y.length];
    double[] fresh = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      shrunk[i] = 0.6 * y[i];
      fresh[i] = i % 5 == 0 ? y[i] : Double.NaN;
    }
    c.put("pred", shrunk);
    c.put("fresh", fresh);
    EffectResult r =
        estimator.estimate(
            EffectRequest.builder(UnitTable.ofNumeric(c), "a", "pred")
                .covariates(List.of("x1", "x2"))
                .estimator(Estimator.OLS)
                .correction(EffectRequest.Correction.PPI)
                .ppiLabel("fresh")
                .build());
    assertThat(r.estimate()).isCloseTo(1.0, within(4 * r.se()));
    assertThat(r.diagnostics().calibration().n()).isEqualTo(400);
  }

  static EffectRequest.Options options(
      EffectRequest.Learner learner, EffectRequest.Bootstrap bootstrap) {
    return new EffectRequest.Options(
        0.95,
        5,
        learner,
        EffectRequest.DmlModel.PLR,
        0.01,
        bootstrap,
        1000,
        200,
        EffectRequest.MissingPolicy.ERROR,
        1);
  }
}
