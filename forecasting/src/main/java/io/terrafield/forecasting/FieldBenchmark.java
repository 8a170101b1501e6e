package io.terrafield.forecasting;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Training-throughput benchmark of the batched ensemble against a plain DJL matrix-multiply ceiling
 * measured in the same process. FLOPs of a training step are counted as 3 × 2 × rows × members ×
 * multiply-adds per row (forward once, backward twice). The ceiling and the training steps are
 * measured in alternating rounds, so that both see the same machine load; the result reports
 * medians over rounds and the median of the per-round ratios. Not thread-safe.
 */
public final class FieldBenchmark {
  /**
   * One benchmark result.
   *
   * @param ceilingGflops plain batched fp32 matMul [M, B, W] × [M, W, W]
   * @param trainingGflops achieved GFLOP/s of full Adam training steps
   * @param rowsMembersPerSecond training throughput
   * @param secondsPerStep mean wall time per step
   * @param nativeBytes resident set size of the process after the run (Linux), or −1
   * @param roundRatios achieved / ceiling in each round, in round order
   */
  public record Result(
      double ceilingGflops,
      double trainingGflops,
      double rowsMembersPerSecond,
      double secondsPerStep,
      long nativeBytes,
      double[] roundRatios) {
    /** Median over rounds of achieved / ceiling. */
    public double ratio() {
      return median(roundRatios);
    }
  }

  private FieldBenchmark() {}

  /**
   * Runs the benchmark with an MLP of {@code inputs} → width → ... → 2 (BayesNF core, or CGLU
   * blocks when {@code gated}), {@code members} members and {@code rows} rows per step: {@code
   * rounds} rounds of (matMul ceiling, {@code steps} training steps) after a warm-up.
   */
  public static Result run(
      int inputs,
      int width,
      int depth,
      int members,
      int rows,
      int steps,
      int rounds,
      boolean gated) {
    if (steps < 1 || rounds < 1) {
      throw new ForecastingException(
          "bench: steps and rounds must be >= 1, got steps " + steps + ", rounds " + rounds);
    }
    NeuralField.configureEngine();
    FieldConfig config =
        new FieldConfig(false, gated, members, width, depth, 1, 1, rows, 0.001, 1, 1, 7);
    int[] groups = new int[inputs];
    Arrays.fill(groups, 4);
    try (NDManager manager = NDManager.newBaseManager();
        EnsembleNetwork network = new EnsembleNetwork(manager, config, groups, 1, 1)) {
      network.initialise(7);
      SplittableRandom random = new SplittableRandom(7);
      float[] x = new float[rows * inputs];
      float[] y = new float[rows];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (random.nextDouble() * 2 - 1);
      }
      for (int i = 0; i < y.length; i++) {
        y[i] = (float) (random.nextDouble() * 2 - 1);
      }
      NeuralField.Adam adam = new NeuralField.Adam(network.parameters, 0.001);
      NDArray xs = manager.create(x, new Shape(rows, inputs));
      NDArray ys = manager.create(y);
      NDArray mask = manager.ones(new Shape(rows));
      double flops = 3.0 * 2.0 * rows * members * (network.multiplyAddsPerRow() + 2L * width);
      ceiling(manager, members, rows, width, 2);
      trainingSeconds(network, adam, xs, ys, mask, rows, members, 3);
      double[] ceilings = new double[rounds];
      double[] seconds = new double[rounds];
      double[] ratios = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ceilings[r] = ceiling(manager, members, rows, width, 5);
        seconds[r] = trainingSeconds(network, adam, xs, ys, mask, rows, members, steps);
        ratios[r] = flops / seconds[r] / 1e9 / ceilings[r];
      }
      double step = median(seconds);
      return new Result(
          median(ceilings),
          flops / step / 1e9,
          rows * (double) members / step,
          step,
          rss(),
          ratios);
    }
  }

  /** Mean wall time of {@code steps} full training steps (forward, backward, Adam). */
  private static double trainingSeconds(
      EnsembleNetwork network,
      NeuralField.Adam adam,
      NDArray xs,
      NDArray ys,
      NDArray mask,
      int rows,
      int members,
      int steps) {
    long started = System.nanoTime();
    for (int step = 0; step < steps; step++) {
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray[] out = network.forward(xs.getManager(), xs, null, null);
          NDArray objective =
              EnsembleNetwork.negativeLogLikelihood(ys, mask, out[0], out[1])
                  .add(network.negativeLogPrior())
                  .div((float) rows * members);
          collector.backward(objective);
        }
        adam.step(0.001);
      }
    }
    return (System.nanoTime() - started) / 1e9 / steps;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double ceiling(NDManager manager, int members, int rows, int width, int reps) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray a = scope.randomUniform(-1, 1, new Shape(members, rows, width));
      NDArray b = scope.randomUniform(-1, 1, new Shape(members, width, width));
      for (int i = 0; i < 2; i++) {
        a.batchMatMul(b).close();
      }
      long started = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        NDArray c = a.batchMatMul(b);
        c.getFloat(0, 0, 0);
        c.close();
      }
      double seconds = (System.nanoTime() - started) / 1e9 / reps;
      return 2.0 * members * rows * (double) width * width / seconds / 1e9;
    }
  }

  private static long rss() {
    return procStatus("VmRSS:");
  }

  /**
   * Peak resident set size of this process in bytes (Linux {@code VmHWM}: Java heap plus native
   * PyTorch memory), or −1 where it is not available.
   */
  public static long peakResidentBytes() {
    return procStatus("VmHWM:");
  }

  private static long procStatus(String key) {
    try {
      for (String line :
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
