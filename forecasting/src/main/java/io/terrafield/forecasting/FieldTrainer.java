package io.terrafield.forecasting;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MAP training of an {@link EnsembleNetwork}: shuffled mini-batches of a fixed shape (the last
 * batch of an epoch padded with mask 0), the objective {@code ((N/B) Σ_batch NLL + Σ −log prior) /
 * (N·M)} (N observed rows, B real rows in the batch, M members), Adam (Kingma and Ba 2015) with a
 * cosine learning-rate decay from lr to lr/10 over the run, DJL {@code GradientCollector} on the
 * raw parameter NDArrays and an {@code NDScope} per step. A step whose loss or gradient is not
 * finite is skipped (gradients zeroed, counted in {@link Outcome#skippedSteps}).
 *
 * <p>Native memory: a step allocates and frees activation tensors of [M, B, width] floats (32 MiB
 * at the default 8 × 4096 × 256). Under glibc malloc without the tunables set by {@code
 * ./terrafield} ({@link FieldBenchmark#GLIBC_TUNABLES}) every such allocation is a fresh mmap whose
 * pages are faulted in again each step (about 10× slower steps); see {@code forecast bench}.
 *
 * <p>Not thread-safe.
 */
final class FieldTrainer {
  /**
   * What a fit ended with.
   *
   * @param loss smoothed final loss (negative log posterior per observed row)
   * @param rowsMembersPerSecond training throughput
   * @param skippedSteps steps skipped because the loss or a gradient was not finite
   */
  record Outcome(double loss, double rowsMembersPerSecond, int skippedSteps) {}

  private static final Logger LOG = LoggerFactory.getLogger(FieldTrainer.class);
  private static final AtomicBoolean MALLOC_CHECKED = new AtomicBoolean();
  private final NDManager manager;
  private final EnsembleNetwork network;
  private final FieldConfig config;

  FieldTrainer(NDManager manager, EnsembleNetwork network, FieldConfig config) {
    this.manager = manager;
    this.network = network;
    this.config = config;
  }

  /**
   * Trains on n rows: {@code features} [n, f] row-major, latent {@code targets} [n], the station
   * index of every row ({@code location}, one-hot encoded for the graph attention over {@code
   * stations} stations).
   */
  Outcome train(
      float[] features,
      float[] targets,
      int[] location,
      int stations,
      StationGraph.Inputs graphInputs,
      FitListener listener) {
    warnOnSlowMalloc();
    // libtorch's grad mode is per thread and on by default; DJL turns it off only on the thread
    // that loads the engine. Outside the GradientCollector the Adam step updates the leaf
    // parameters in place, which libtorch refuses while grad mode is on ("a leaf Variable that
    // requires grad is being used in an in-place operation"), so a fit on any other thread (the
    // demo's fit thread after the forecast job loaded the engine) turns it off on its own thread.
    JniUtils.setGradMode(false);
    int n = targets.length;
    int f = features.length / n;
    int l = stations;
    int batch = Math.min(config.batchSize(), n);
    int stepsPerEpoch = (n + batch - 1) / batch;
    int steps = stepsPerEpoch * config.epochs();
    Adam adam = new Adam(network.parameters);
    SplittableRandom random = new SplittableRandom(config.seed() ^ 0x9E3779B97F4A7C15L);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    float[] x = new float[batch * f];
    float[] y = new float[batch];
    float[] mask = new float[batch];
    float[] oneHot = new float[config.graphAttention() ? batch * l : 0];
    long started = System.nanoTime();
    double smoothed = Double.NaN;
    int skipped = 0;
    for (int step = 0; step < steps; step++) {
      int offset = (step % stepsPerEpoch) * batch;
      if (offset == 0) {
        for (int i = n - 1; i > 0; i--) {
          int j = random.nextInt(i + 1);
          int tmp = order[i];
          order[i] = order[j];
          order[j] = tmp;
        }
      }
      Arrays.fill(oneHot, 0f);
      for (int b = 0; b < batch; b++) {
        boolean real = offset + b < n;
        int r = order[real ? offset + b : b];
        System.arraycopy(features, r * f, x, b * f, f);
        y[b] = targets[r];
        mask[b] = real ? 1f : 0f;
        if (oneHot.length > 0) {
          oneHot[b * l + location[r]] = 1f;
        }
      }
      double lr = learningRate(step, steps);
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray xs = manager.create(x, new Shape(batch, f));
        NDArray ys = manager.create(y);
        NDArray ms = manager.create(mask);
        NDArray hot = oneHot.length > 0 ? manager.create(oneHot, new Shape(batch, l)) : null;
        float loss;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray[] out = network.forward(manager, xs, hot, graphInputs);
          NDArray nll = EnsembleNetwork.negativeLogLikelihood(ys, ms, out[0], out[1]);
          double real = Math.min(batch, n - offset);
          NDArray objective =
              nll.mul((float) (n / real))
                  .add(network.negativeLogPrior())
                  .div((float) n * config.members());
          collector.backward(objective);
          loss = objective.getFloat();
        }
        if (Float.isFinite(loss) && adam.gradientsFinite()) {
          adam.step(lr);
          smoothed = Double.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
        } else {
          adam.zeroGradients();
          skipped++;
        }
      }
      listener.onProgress(step / stepsPerEpoch + 1, config.epochs(), step + 1L, steps, smoothed);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Outcome(smoothed, (double) steps * batch * config.members() / seconds, skipped);
  }

  /**
   * Logs once per process when training runs on glibc malloc without the malloc tunables (Linux,
   * jemalloc not loaded, {@code GLIBC_TUNABLES} without an mmap threshold): every step then maps
   * and page-faults its activation tensors again.
   */
  static void warnOnSlowMalloc() {
    Path maps = Path.of("/proc/self/maps");
    if (MALLOC_CHECKED.getAndSet(true) || !Files.isReadable(maps)) {
      return;
    }
    String tunables = System.getenv().getOrDefault("GLIBC_TUNABLES", "");
    if (tunables.contains("glibc.malloc.mmap_threshold")) {
      return;
    }
    try {
      if (Files.readString(maps).contains("jemalloc")) {
        return;
      }
    } catch (IOException e) {
      return;
    }
    LOG.warn(
        "glibc malloc without tunables: neural-field training may be ~10x slower (every step maps"
            + " its tensors afresh). Launch with ./terrafield, or set GLIBC_TUNABLES={} (or preload"
            + " jemalloc) in the JVM's environment",
        FieldBenchmark.GLIBC_TUNABLES);
  }

  /** Cosine decay from lr to lr/10: {@code lr·(0.1 + 0.45·(1 + cos(π·step/steps)))}. */
  double learningRate(int step, int steps) {
    double progress = (double) step / steps;
    return config.learningRate() * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }

  /** Hand-written Adam (Kingma and Ba 2015) on the parameter NDArrays, updated in place. */
  static final class Adam {
    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray[]> moments = new HashMap<>();
    private final double beta1 = 0.9;
    private final double beta2 = 0.999;
    private int t;

    Adam(Map<String, NDArray> parameters) {
      this.parameters = parameters;
      for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
        NDArray p = entry.getValue();
        NDManager owner = p.getManager();
        moments.put(
            entry.getKey(), new NDArray[] {owner.zeros(p.getShape()), owner.zeros(p.getShape())});
      }
    }

    boolean gradientsFinite() {
      for (NDArray p : parameters.values()) {
        NDArray g = p.getGradient();
        if (!Float.isFinite(g.abs().max().getFloat())) {
          return false;
        }
      }
      return true;
    }

    /** Sets every gradient to 0 by assignment (multiplying by 0 would keep NaN and inf). */
    void zeroGradients() {
      for (NDArray p : parameters.values()) {
        p.getGradient().set(new NDIndex(":"), 0f);
      }
    }

    void step(double learningRate) {
      t++;
      double c1 = 1 - Math.pow(beta1, t);
      double c2 = 1 - Math.pow(beta2, t);
      for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
        NDArray p = entry.getValue();
        NDArray g = p.getGradient();
        NDArray[] mv = moments.get(entry.getKey());
        mv[0].muli((float) beta1).addi(g.mul((float) (1 - beta1)));
        mv[1].muli((float) beta2).addi(g.square().mul((float) (1 - beta2)));
        p.subi(
            mv[0]
                .div((float) c1)
                .div(mv[1].div((float) c2).sqrt().add(1e-8f))
                .mul((float) learningRate));
        g.muli(0);
      }
    }
  }
}
