package io.terrafield.causal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The field case {@code shared/cases/few-clusters}: cluster-robust inference with three clusters
 * uses the G/(G-1) factor, t(G-1) critical values and warns; one cluster is refused.
 */
class FewClustersTest {
  private static final double T2_975 = 4.302652729911275;
  private final EffectEstimator estimator = new EffectEstimator();

  @Test
  void theCaseFileGetsTheCr1SeTwoDegreesOfFreedomAndAWarning() throws IOException {
    Path data = Path.of(System.getProperty("terrafield.data", "../shared/data"));
    Path csv = data.resolveSibling("cases").resolve("few-clusters").resolve("few_clusters_3.csv");
    assumeTrue(Files.isRegularFile(csv), "field case not found at " + csv.toAbsolutePath());
    UnitTable units = UnitTable.readCsv(csv);
    EffectResult r =
        estimator.estimate(
            EffectRequest.builder(units, "treated", "y")
                .estimator(EffectRequest.Estimator.DIM)
                .cluster("district")
                .build());
    double[] a = units.numeric("treated", "treatment");
    double[] y = units.numeric("y", "outcome");
    String[] district = units.text("district", "cluster");
    double expectedSe = cr1DifferenceInMeansSe(a, y, district);
    assertThat(r.se()).isCloseTo(expectedSe, within(1e-12));
    assertThat(r.ciHigh() - r.estimate()).isCloseTo(T2_975 * expectedSe, within(1e-9));
    assertThat(r.diagnostics().uncertainty().reference()).isEqualTo("t(2)");
    assertThat(r.diagnostics().uncertainty().clusters()).isEqualTo(3);
    assertThat(r.diagnostics().warnings()).anyMatch(w -> w.contains("only 3 clusters"));
    if (r.se() < r.diagnostics().uncertainty().seInfluence()) {
      assertThat(r.diagnostics().warnings())
          .anyMatch(w -> w.contains("smaller than the SE that ignores clustering"));
    }
  }

  @Test
  void tCriticalValuesGiveNearNominalCoverageWithThreeClusters() {
    int sets = 300;
    int covered = 0;
    int coveredNormal = 0;
    for (int s = 0; s < sets; s++) {
      Random random = new Random(1000 + s);
      UnitTable units = clusteredStudy(random, 3, 100);
      EffectResult r =
          estimator.estimate(
              EffectRequest.builder(units, "a", "y")
                  .estimator(EffectRequest.Estimator.DIM)
                  .cluster("g")
                  .build());
      covered += r.ciLow() <= 1.0 && 1.0 <= r.ciHigh() ? 1 : 0;
      coveredNormal += Math.abs(r.estimate() - 1.0) <= 1.959964 * r.se() ? 1 : 0;
    }
    double coverage = covered / (double) sets;
    double coverageNormal = coveredNormal / (double) sets;
    System.out.printf(
        "three clusters, %d data sets: coverage t(2) %.3f, normal %.3f%n",
        sets, coverage, coverageNormal);
    assertThat(coverage).isBetween(0.90, 0.99);
    assertThat(coverageNormal).isLessThan(coverage - 0.05);
  }

  @Test
  void manyClustersUseTheNormalReferenceWithoutWarning() {
    EffectResult r =
        estimator.estimate(
            EffectRequest.builder(clusteredStudy(new Random(5), 40, 20), "a", "y")
                .estimator(EffectRequest.Estimator.DIM)
                .cluster("g")
                .build());
    assertThat(r.diagnostics().uncertainty().reference()).isEqualTo("t(39)");
    assertThat(r.diagnostics().warnings()).noneMatch(w -> w.contains("clusters in"));
  }

  @Test
  void aSingleClusterIsRefusedNamingTheColumnValue() {
    UnitTable units = clusteredStudy(new Random(3), 1, 50);
    assertThatThrownBy(
            () ->
                estimator.estimate(
                    EffectRequest.builder(units, "a", "y")
                        .estimator(EffectRequest.Estimator.DIM)
                        .cluster("g")
                        .build()))
        .isInstanceOf(CausalInputException.class)
        .hasMessageContaining("single cluster ('0.0')")
        .hasMessageContaining("at least 2 clusters");
  }

  /** Treatment within clusters, a cluster-specific effect 1 + u_g and level v_g. */
  private static UnitTable clusteredStudy(Random random, int clusters, int perCluster) {
    int n = clusters * perCluster;
    double[] a = new double[n];
    double[] y = new double[n];
    double[] g = new double[n];
    for (int c = 0; c < clusters; c++) {
      double u = 0.4 * random.nextGaussian();
      double v = random.nextGaussian();
      for (int t = 0; t < perCluster; t++) {
        int i = c * perCluster + t;
        a[i] = random.nextBoolean() ? 1 : 0;
        y[i] = (1 + u) * a[i] + v + random.nextGaussian();
        g[i] = c;
      }
    }
    Map<String, double[]> numeric = new LinkedHashMap<>();
    numeric.put("a", a);
    numeric.put("y", y);
    numeric.put("g", g);
    return UnitTable.ofNumeric(numeric);
  }

  /** CR1: sqrt(G/(G-1) sum_g (sum_{i in g} psi_i)^2) / n with the DiM influence function. */
  private static double cr1DifferenceInMeansSe(double[] a, double[] y, String[] cluster) {
    int n = a.length;
    double s1 = 0;
    double s0 = 0;
    int n1 = 0;
    for (int i = 0; i < n; i++) {
      if (a[i] == 1) {
        s1 += y[i];
        n1++;
      } else {
        s0 += y[i];
      }
    }
    double m1 = s1 / n1;
    double m0 = s0 / (n - n1);
    double p = n1 / (double) n;
    Map<String, Double> sums = new HashMap<>();
    for (int i = 0; i < n; i++) {
      double psi = a[i] == 1 ? (y[i] - m1) / p : -(y[i] - m0) / (1 - p);
      sums.merge(cluster[i], psi, Double::sum);
    }
    double ss = 0;
    for (double v : sums.values()) {
      ss += v * v;
    }
    int groups = sums.size();
    return Math.sqrt(ss * groups / (groups - 1.0)) / n;
  }
}
