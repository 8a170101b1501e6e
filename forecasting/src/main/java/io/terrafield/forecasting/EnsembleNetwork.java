package io.terrafield.forecasting;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The neural-field network of every ensemble member, evaluated as ONE batched computation: every
 * weight has a leading member axis ({@code W: [M, in, out]}) and layers are batched matrix products
 * over members.
 *
 * <p><b>BayesNF core</b> (Saad et al. 2024, Nature Communications 15:7942, eq. 4-7 of Methods):
 *
 * <pre>
 *   h₀ = [softplus(γ_g) · x_g]_g                          feature groups g (FeatureMap)
 *   h_l = act_l(softplus(s_l) · (h_{l−1} W_l / √fan_in + b_l)),  l = 1..depth
 *   act_l(z) = σ(a_l) · elu(z) + (1 − σ(a_l)) · tanh(z)  (learned activation mix)
 *   μ = softplus(s_out) · (h W_out / √width + b_out)[0]
 *   σ_obs = 0.01 + exp(clip(ν + (h W_out / √width + b_out)[1], −7, 3))
 *   priors: Logistic(0, 1) on every parameter; likelihood y ~ Normal(μ, σ_obs)
 * </pre>
 *
 * <p><b>CGLUBNF additions</b> (Pian et al. 2025, "Tackling Incomplete Data in Air Quality
 * Prediction: A Bayesian Deep Learning Framework for Uncertainty Quantification", arXiv
 * 2511.02175). Graph-attention spatial context over the k nearest stations N(x) of location x:
 *
 * <pre>
 *   q_x = φ(x) W_q,   k_j = d_j W_k,   v_j = d_j W_v          d_j: station descriptor
 *   e_xj = q_x·k_j / √A − softplus(λ) · dist(x, j) / dist₀
 *   α_xj = softmax_j∈N(x)(e_xj),   c(x) = Σ_j α_xj v_j        appended to h₀ (own group scale)
 * </pre>
 *
 * Channel gated learning units replace hidden layers 2..depth (learnable per-channel activations,
 * channel gates that filter (σ→0) or amplify (2σ→2), gated residual connection):
 *
 * <pre>
 *   u = softplus(s_l) · (h W_u / √w + b_u)
 *   g = σ(h W_g / √w + b_g)                                  gate per row and channel
 *   CGLU(h) = h + g ⊙ 2σ(c_l) ⊙ act_{a_l}(u),   a_l, c_l ∈ R^w per channel
 * </pre>
 *
 * Not thread-safe: one fit or prediction at a time.
 */
final class EnsembleNetwork implements AutoCloseable {
  final FieldConfig config;
  final int features;
  final int queryDim;
  final int descriptorDim;
  final Map<String, NDArray> parameters = new LinkedHashMap<>();
  private final NDManager manager;
  private final NDArray groupMatrix;
  private static final int ATTENTION_DIM = 16;

  EnsembleNetwork(
      NDManager parent, FieldConfig config, int[] groups, int queryDim, int descriptorDim) {
    this.manager = parent.newSubManager();
    this.config = config;
    this.features = groups.length;
    this.queryDim = queryDim;
    this.descriptorDim = descriptorDim;
    float[] matrix = new float[FeatureMap.GROUPS * groups.length];
    for (int f = 0; f < groups.length; f++) {
      matrix[groups[f] * groups.length + f] = 1;
    }
    this.groupMatrix = manager.create(matrix, new Shape(FeatureMap.GROUPS, groups.length));
  }

  /** Layout of all parameters: name to shape (member axis first). */
  Map<String, Shape> layout() {
    int m = config.members();
    int w = config.width();
    Map<String, Shape> shapes = new LinkedHashMap<>();
    shapes.put("group", new Shape(m, FeatureMap.GROUPS));
    int in = features;
    if (config.graphAttention()) {
      int c = config.contextDim();
      shapes.put("att.q", new Shape(m, queryDim, ATTENTION_DIM));
      shapes.put("att.k", new Shape(m, descriptorDim, ATTENTION_DIM));
      shapes.put("att.v", new Shape(m, descriptorDim, c));
      shapes.put("att.lambda", new Shape(m, 1, 1));
      shapes.put("att.scale", new Shape(m, 1, 1));
      in += c;
    }
    shapes.put("l0.w", new Shape(m, in, w));
    shapes.put("l0.b", new Shape(m, 1, w));
    shapes.put("l0.s", new Shape(m, 1, 1));
    shapes.put("l0.a", new Shape(m, 1, 1));
    for (int l = 1; l < config.depth(); l++) {
      if (config.gatedUnits()) {
        shapes.put("l" + l + ".wu", new Shape(m, w, w));
        shapes.put("l" + l + ".bu", new Shape(m, 1, w));
        shapes.put("l" + l + ".wg", new Shape(m, w, w));
        shapes.put("l" + l + ".bg", new Shape(m, 1, w));
        shapes.put("l" + l + ".s", new Shape(m, 1, 1));
        shapes.put("l" + l + ".a", new Shape(m, 1, w));
        shapes.put("l" + l + ".c", new Shape(m, 1, w));
      } else {
        shapes.put("l" + l + ".w", new Shape(m, w, w));
        shapes.put("l" + l + ".b", new Shape(m, 1, w));
        shapes.put("l" + l + ".s", new Shape(m, 1, 1));
        shapes.put("l" + l + ".a", new Shape(m, 1, 1));
      }
    }
    shapes.put("out.w", new Shape(m, w, 2));
    shapes.put("out.b", new Shape(m, 1, 2));
    shapes.put("out.s", new Shape(m, 1));
    shapes.put("noise", new Shape(m, 1));
    return shapes;
  }

  /** Random initialisation: weights N(0, 1) (scaled by 1/√fan_in in the forward pass). */
  void initialise(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double softplusOne = Math.log(Math.E - 1);
    for (Map.Entry<String, Shape> entry : layout().entrySet()) {
      String name = entry.getKey();
      float[] values = new float[(int) entry.getValue().size()];
      for (int i = 0; i < values.length; i++) {
        double v;
        if (name.endsWith(".w")
            || name.endsWith(".wu")
            || name.endsWith(".wg")
            || name.startsWith("att.q")
            || name.startsWith("att.k")
            || name.startsWith("att.v")) {
          v = gaussian(random);
        } else if (name.endsWith(".b") || name.endsWith(".bu")) {
          v = 0.1 * gaussian(random);
        } else if (name.endsWith(".bg")) {
          v = -1.0;
        } else if (name.equals("noise")) {
          v = -1.0;
        } else if (name.endsWith(".a") || name.endsWith(".c")) {
          v = 0.0;
        } else {
          v = softplusOne;
        }
        values[i] = (float) v;
      }
      set(name, values);
    }
  }

  private static double gaussian(SplittableRandom random) {
    double u = Math.max(1e-12, random.nextDouble());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  void set(String name, float[] values) {
    Shape shape = layout().get(name);
    if (shape == null || shape.size() != values.length) {
      throw new ForecastingException("model file: parameter '" + name + "' has a wrong shape");
    }
    NDArray old = parameters.remove(name);
    if (old != null) {
      old.close();
    }
    NDArray array = manager.create(values, shape);
    array.setRequiresGradient(true);
    parameters.put(name, array);
  }

  private NDArray p(String name) {
    return parameters.get(name);
  }

  /** σ(a)·elu(z) + (1 − σ(a))·tanh(z), computed as tanh(z) + σ(a)·(elu(z) − tanh(z)). */
  private static NDArray mix(NDArray z, NDArray a) {
    NDArray tanh = z.tanh();
    return tanh.add(Activation.elu(z, 1f).sub(tanh).mul(Activation.sigmoid(a)));
  }

  /** Attention weights α [M, L, k] (exposed for tests). */
  NDArray attention(NDManager scope, StationGraph.Inputs graph) {
    int l = graph.locations();
    int k = graph.k();
    NDArray query = scope.create(graph.query(), new Shape(l, queryDim));
    NDArray flat = scope.create(graph.neighbours(), new Shape((long) l * k, descriptorDim));
    NDArray distance = scope.create(graph.distance(), new Shape(1, l, k));
    long m = config.members();
    NDArray q = query.matMul(p("att.q"));
    NDArray keys = flat.matMul(p("att.k")).reshape(m, l, k, ATTENTION_DIM);
    NDArray scores =
        q.expandDims(2)
            .mul(keys)
            .sum(new int[] {3})
            .div((float) Math.sqrt(ATTENTION_DIM))
            .sub(distance.mul(Activation.softPlus(p("att.lambda"))));
    return scores.softmax(2);
  }

  /** Context encodings c(x) [M, L, C]. */
  NDArray context(NDManager scope, StationGraph.Inputs graph) {
    int l = graph.locations();
    int k = graph.k();
    NDArray alpha = attention(scope, graph);
    NDArray flat = scope.create(graph.neighbours(), new Shape((long) l * k, descriptorDim));
    NDArray values = flat.matMul(p("att.v")).reshape(config.members(), l, k, config.contextDim());
    return alpha.expandDims(3).mul(values).sum(new int[] {2});
  }

  /**
   * Forward pass: rows x [B, F] (fixed features) and, with graph attention, their location index
   * into {@code graph} as a one-hot matrix [B, L]. Returns mean and sd, each [M, B].
   */
  NDArray[] forward(NDManager scope, NDArray x, NDArray locationOneHot, StationGraph.Inputs graph) {
    // The per-layer scalars (feature-group scales, softplus(s_l), 1/√fan_in) are folded into the
    // small weight tensors instead of being applied to the large [M, B, W] activations: the same
    // function with fewer passes over activation memory (forward and backward).
    NDArray scale = Activation.softPlus(p("group")).matMul(groupMatrix);
    long in = features + (config.graphAttention() ? config.contextDim() : 0);
    NDArray s0 = Activation.softPlus(p("l0.s"));
    NDArray w0 = p("l0.w").mul(s0.div((float) Math.sqrt(in)));
    NDArray inputWeights = config.graphAttention() ? w0.get(":, :" + features + ", :") : w0;
    NDArray z = x.matMul(inputWeights.mul(scale.expandDims(2)));
    if (config.graphAttention()) {
      NDArray contextWeights =
          w0.get(":, " + features + ":, :").mul(Activation.softPlus(p("att.scale")));
      NDArray rows = locationOneHot.matMul(context(scope, graph));
      z = z.add(rows.batchMatMul(contextWeights));
    }
    NDArray h = mix(z.add(p("l0.b").mul(s0)), p("l0.a"));
    float rootWidth = (float) Math.sqrt(config.width());
    for (int l = 1; l < config.depth(); l++) {
      String n = "l" + l;
      NDArray s = Activation.softPlus(p(n + ".s"));
      if (config.gatedUnits()) {
        NDArray u = h.batchMatMul(p(n + ".wu").mul(s.div(rootWidth))).add(p(n + ".bu").mul(s));
        NDArray gate =
            Activation.sigmoid(h.batchMatMul(p(n + ".wg").div(rootWidth)).add(p(n + ".bg")));
        NDArray amplify = Activation.sigmoid(p(n + ".c")).mul(2);
        h = h.add(gate.mul(mix(u, p(n + ".a")).mul(amplify)));
      } else {
        z = h.batchMatMul(p(n + ".w").mul(s.div(rootWidth))).add(p(n + ".b").mul(s));
        h = mix(z, p(n + ".a"));
      }
    }
    NDArray out = h.batchMatMul(p("out.w").div(rootWidth)).add(p("out.b"));
    NDArray mean = out.get(":, :, 0").mul(Activation.softPlus(p("out.s")));
    NDArray sd = out.get(":, :, 1").add(p("noise")).clip(-7, 3).exp().add(0.01);
    return new NDArray[] {mean, sd};
  }

  /** Σ over parameters of −log Logistic(w; 0, 1) = w + 2 softplus(−w) (+ const). */
  NDArray negativeLogPrior() {
    NDArray total = null;
    for (NDArray w : parameters.values()) {
      NDArray term = w.add(Activation.softPlus(w.neg()).mul(2)).sum();
      total = total == null ? term : total.add(term);
    }
    return total;
  }

  /**
   * Masked Normal negative log-likelihood summed over rows and members: Σ_m Σ_b mask_b · (½((y_b −
   * μ_mb)/σ_mb)² + log σ_mb) (+ const). Missing targets carry mask 0.
   */
  static NDArray negativeLogLikelihood(NDArray y, NDArray mask, NDArray mean, NDArray sd) {
    NDArray standardised = y.expandDims(0).sub(mean).div(sd);
    return standardised.square().mul(0.5).add(sd.log()).mul(mask.expandDims(0)).sum();
  }

  /** Multiply-adds per row and member of one forward pass (for the benchmark). */
  long multiplyAddsPerRow() {
    long in = features + (config.graphAttention() ? config.contextDim() : 0);
    long w = config.width();
    long total = in * w + 2 * w;
    for (int l = 1; l < config.depth(); l++) {
      total += (config.gatedUnits() ? 2 : 1) * w * w;
    }
    return total;
  }

  @Override
  public void close() {
    manager.close();
  }
}
