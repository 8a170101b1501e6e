package io.terrafield.forecasting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EnsembleNetworkTest {
  @BeforeAll
  static void engine() {
    NeuralField.configureEngine();
  }

  private static double softplus(double x) {
    return Math.log1p(Math.exp(x));
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static double mix(double z, double a) {
    double elu = z > 0 ? z : Math.exp(z) - 1;
    return sigmoid(a) * elu + (1 - sigmoid(a)) * Math.tanh(z);
  }

  @Test
  void normalLikelihoodHasKnownValueAndIgnoresMaskedRows() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray y = manager.create(new float[] {1f, 100f});
      NDArray mask = manager.create(new float[] {1f, 0f});
      NDArray mean = manager.create(new float[] {0f, 0f}, new Shape(1, 2));
      NDArray sd = manager.create(new float[] {2f, 1f}, new Shape(1, 2));
      float nll = EnsembleNetwork.negativeLogLikelihood(y, mask, mean, sd).getFloat();
      assertThat((double) nll).isCloseTo(0.5 * 0.25 + Math.log(2), within(1e-6));
    }
  }

  @Test
  void gatedUnitForwardMatchesTheEquations() {
    FieldConfig config = new FieldConfig(false, true, 1, 2, 2, 1, 1, 1, 0.01, 1, 1, 0);
    try (NDManager manager = NDManager.newBaseManager();
        EnsembleNetwork network = new EnsembleNetwork(manager, config, new int[] {4}, 1, 1)) {
      network.initialise(0);
      float[] w0 = {1f, -1f};
      float[] b0 = {0.1f, -0.2f};
      float[] wu = {0.5f, -0.3f, 0.8f, 0.2f};
      float[] bu = {0.05f, -0.1f};
      float[] wg = {-0.4f, 0.6f, 0.3f, 0.9f};
      float[] bg = {0.2f, -0.3f};
      float[] a1 = {0.7f, -1.2f};
      float[] c1 = {1.5f, -0.5f};
      float[] wo = {0.3f, -0.2f, 0.6f, 0.4f};
      float[] bo = {0.1f, -0.5f};
      network.set("group", new float[] {0, 0, 0, 0, 0.4f});
      network.set("l0.w", w0);
      network.set("l0.b", b0);
      network.set("l0.s", new float[] {0.3f});
      network.set("l0.a", new float[] {0.2f});
      network.set("l1.wu", wu);
      network.set("l1.bu", bu);
      network.set("l1.wg", wg);
      network.set("l1.bg", bg);
      network.set("l1.s", new float[] {-0.2f});
      network.set("l1.a", a1);
      network.set("l1.c", c1);
      network.set("out.w", wo);
      network.set("out.b", bo);
      network.set("out.s", new float[] {0.9f});
      network.set("noise", new float[] {-1.5f});
      double x = 0.7;
      NDArray[] out =
          network.forward(
              manager, manager.create(new float[] {(float) x}, new Shape(1, 1)), null, null);
      // reference, written out from the class comment
      double h0 = softplus(0.4) * x;
      double[] h1 = new double[2];
      for (int j = 0; j < 2; j++) {
        h1[j] = mix(softplus(0.3) * (h0 * w0[j] / Math.sqrt(1) + b0[j]), 0.2);
      }
      double[] h2 = new double[2];
      for (int j = 0; j < 2; j++) {
        double u = 0;
        double g = 0;
        for (int i = 0; i < 2; i++) {
          u += h1[i] * wu[i * 2 + j];
          g += h1[i] * wg[i * 2 + j];
        }
        u = softplus(-0.2) * (u / Math.sqrt(2) + bu[j]);
        g = sigmoid(g / Math.sqrt(2) + bg[j]);
        h2[j] = h1[j] + g * 2 * sigmoid(c1[j]) * mix(u, a1[j]);
      }
      double o0 = (h2[0] * wo[0] + h2[1] * wo[2]) / Math.sqrt(2) + bo[0];
      double o1 = (h2[0] * wo[1] + h2[1] * wo[3]) / Math.sqrt(2) + bo[1];
      assertThat((double) out[0].getFloat(0, 0)).isCloseTo(softplus(0.9) * o0, within(1e-5));
      assertThat((double) out[1].getFloat(0, 0)).isCloseTo(0.01 + Math.exp(o1 - 1.5), within(1e-5));
    }
  }

  @Test
  void attentionWeightsAndContextHaveKnownValues() {
    FieldConfig config = new FieldConfig(true, false, 1, 2, 1, 1, 1, 1, 0.01, 2, 1, 0);
    try (NDManager manager = NDManager.newBaseManager();
        EnsembleNetwork network = new EnsembleNetwork(manager, config, new int[] {4}, 1, 1)) {
      network.initialise(0);
      network.set("att.q", new float[16]);
      network.set("att.lambda", new float[] {0f});
      network.set("att.v", new float[] {1.5f});
      StationGraph.Inputs inputs =
          new StationGraph.Inputs(
              1, 2, new float[] {0.3f}, new float[] {1f, 2f}, new float[] {1f, 2f});
      float[] alpha = network.attention(manager, inputs).toFloatArray();
      // q = 0, so e_j = -softplus(0) * dist_j = -ln2 * (1, 2): α = (2/3, 1/3)
      assertThat((double) alpha[0]).isCloseTo(2.0 / 3, within(1e-6));
      assertThat((double) alpha[1]).isCloseTo(1.0 / 3, within(1e-6));
      float context = network.context(manager, inputs).getFloat(0, 0, 0);
      assertThat((double) context).isCloseTo(2.0 / 3 * 1.5 + 1.0 / 3 * 3.0, within(1e-5));
    }
  }

  @Test
  void graphAttendsToNearestOtherStationsAndWorksAtNewLocations() {
    List<Station> stations =
        List.of(new Station("a", 10, 50), new Station("b", 10.1, 50), new Station("c", 11, 50));
    FeatureMap features = FeatureMap.forStations(stations, false, 0, 1, 2);
    StationGraph graph =
        new StationGraph(stations, new float[][] {{0, 1}, {1, 1}, {2, 1}}, features, 1);
    assertThat(graph.nearest(10, 50, 0)).containsExactly(1);
    assertThat(graph.nearest(10.9, 50, -1)).containsExactly(2);
    StationGraph.Inputs inputs =
        graph.inputs(new double[] {10.95}, new double[] {50}, new int[] {-1});
    assertThat(inputs.neighbours()[graph.queryDim()]).isEqualTo(2f);
  }
}
