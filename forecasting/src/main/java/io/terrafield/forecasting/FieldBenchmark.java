package io.terrafield.forecasting;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

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
   * @param faultsPerStep minor page faults of the process per training step (Linux), or −1: a
   *     load-independent sign of tensors being mapped and unmapped every step
   */
  public record Result(
      double ceilingGflops,
      double trainingGflops,
      double rowsMembersPerSecond,
      double secondsPerStep,
      long nativeBytes,
      double[] roundRatios,
      double faultsPerStep) {
    private static final String PREFIX = "bench-result:";

    /** Median over rounds of achieved / ceiling. */
    public double ratio() {
      return median(roundRatios);
    }

    /** One line a parent JVM parses back with {@link #parse} (child runs of the comparison). */
    public String toLine() {
      StringBuilder line =
          new StringBuilder(PREFIX)
              .append(' ')
              .append(ceilingGflops)
              .append(' ')
              .append(trainingGflops)
              .append(' ')
              .append(rowsMembersPerSecond)
              .append(' ')
              .append(secondsPerStep)
              .append(' ')
              .append(nativeBytes)
              .append(' ')
              .append(faultsPerStep);
      for (double r : roundRatios) {
        line.append(' ').append(r);
      }
      return line.toString();
    }

    /** Parses {@link #toLine}; empty when {@code line} is not a result line. */
    public static Optional<Result> parse(String line) {
      if (!line.startsWith(PREFIX)) {
        return Optional.empty();
      }
      String[] f = line.substring(PREFIX.length()).trim().split(" ");
      double[] ratios = new double[f.length - 6];
      for (int i = 0; i < ratios.length; i++) {
        ratios[i] = Double.parseDouble(f[6 + i]);
      }
      return Optional.of(
          new Result(
              Double.parseDouble(f[0]),
              Double.parseDouble(f[1]),
              Double.parseDouble(f[2]),
              Double.parseDouble(f[3]),
              Long.parseLong(f[4]),
              ratios,
              Double.parseDouble(f[5])));
    }
  }

  /**
   * glibc malloc tunables for DJL/PyTorch training without jemalloc: one arena (the JVM's threads
   * would otherwise allocate from secondary arenas, whose 64 MiB heaps cannot hold a [16, 4096,
   * 256] float tensor, so glibc maps and unmaps it on every allocation), allocations up to 1 GiB
   * from the heap and up to 4 GiB of free heap top kept for the next step. The same value is set by
   * {@code ./terrafield} and by the surefire configuration in the parent pom.
   */
  public static final String GLIBC_TUNABLES =
      "glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=1073741824"
          + ":glibc.malloc.trim_threshold=4294967296";

  /** jemalloc settings used with {@link Malloc#JEMALLOC} (the same as {@code ./terrafield}). */
  static final String JEMALLOC_CONF = "oversize_threshold:0,dirty_decay_ms:-1,muzzy_decay_ms:-1";

  private static final List<Path> JEMALLOC_PATHS =
      List.of(
          Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"),
          Path.of("/usr/lib/aarch64-linux-gnu/libjemalloc.so.2"),
          Path.of("/usr/lib/libjemalloc.so.2"),
          Path.of("/usr/lib64/libjemalloc.so.2"));

  /** The native allocator of a child JVM in {@link #compareMalloc}. */
  public enum Malloc {
    /** jemalloc preloaded ({@code LD_PRELOAD}) with {@link #JEMALLOC_CONF}. */
    JEMALLOC("jemalloc"),
    /**
     * glibc malloc with {@link #GLIBC_TUNABLES} (what {@code ./terrafield} runs without jemalloc).
     */
    GLIBC_TUNED("glibc+tunables"),
    /** glibc malloc with its defaults (no preload, no tunables). */
    GLIBC("glibc");

    private final String label;

    Malloc(String label) {
      this.label = label;
    }

    /** Short name (also accepted by {@link #parse}). */
    public String label() {
      return label;
    }

    /** Parses a {@link #label()}, naming the accepted values otherwise. */
    public static Malloc parse(String label) {
      for (Malloc m : values()) {
        if (m.label.equals(label)) {
          return m;
        }
      }
      throw new ForecastingException(
          "malloc: unknown allocator '" + label + "' (use jemalloc, glibc+tunables or glibc)");
    }

    /** Sets up {@code env} (a copy of this process's environment) for a child JVM. */
    void configure(Map<String, String> env, Path jemalloc) {
      String preload =
          Arrays.stream(env.getOrDefault("LD_PRELOAD", "").split("[: ]"))
              .filter(lib -> !lib.isEmpty() && !lib.contains("jemalloc"))
              .collect(Collectors.joining(":"));
      env.keySet().removeIf(key -> key.startsWith("MALLOC_"));
      env.remove("GLIBC_TUNABLES");
      if (this == JEMALLOC) {
        preload = jemalloc + (preload.isEmpty() ? "" : ":" + preload);
        env.put("MALLOC_CONF", JEMALLOC_CONF);
      } else if (this == GLIBC_TUNED) {
        env.put("GLIBC_TUNABLES", GLIBC_TUNABLES);
      }
      if (preload.isEmpty()) {
        env.remove("LD_PRELOAD");
      } else {
        env.put("LD_PRELOAD", preload);
      }
    }
  }

  /**
   * Benchmark results per allocator, one child-JVM run per allocator and round.
   *
   * @param runs for each allocator, its results in round order
   * @param missing allocators that could not be run, with the reason
   */
  public record Comparison(Map<Malloc, List<Result>> runs, Map<Malloc, String> missing) {
    /** Median seconds per step of {@code malloc} over its rounds. */
    public double medianStep(Malloc malloc) {
      return median(runs.get(malloc).stream().mapToDouble(Result::secondsPerStep).toArray());
    }

    /**
     * Per-round step-time ratios {@code a / b} (both run in the same round, back to back), or an
     * empty array when either did not run.
     */
    public double[] roundRatios(Malloc a, Malloc b) {
      if (!runs.containsKey(a) || !runs.containsKey(b)) {
        return new double[0];
      }
      List<Result> x = runs.get(a);
      List<Result> y = runs.get(b);
      double[] ratios = new double[Math.min(x.size(), y.size())];
      for (int r = 0; r < ratios.length; r++) {
        ratios[r] = x.get(r).secondsPerStep() / y.get(r).secondsPerStep();
      }
      return ratios;
    }
  }

  private FieldBenchmark() {}

  /** The first installed jemalloc library, if any. */
  public static Optional<Path> jemallocLibrary() {
    return JEMALLOC_PATHS.stream().filter(Files::isRegularFile).findFirst();
  }

  /**
   * Runs the benchmark in child JVMs, one per allocator and round: rounds alternate over the
   * allocators (each round in a rotated order, so that none always runs first), because on a shared
   * machine the load changes between runs. A child is this JVM's java with its -X/-D options and
   * class path, running {@code mainArguments} (a main class and arguments that run ONE in-process
   * round and print {@link Result#toLine}).
   *
   * @param log where a line per child run goes
   */
  public static Comparison compareMalloc(
      List<Malloc> allocators, int rounds, List<String> mainArguments, PrintStream log) {
    if (rounds < 1 || allocators.isEmpty()) {
      throw new ForecastingException(
          "bench: need rounds >= 1 and at least one allocator, got rounds "
              + rounds
              + ", allocators "
              + allocators);
    }
    Map<Malloc, List<Result>> runs = new EnumMap<>(Malloc.class);
    Map<Malloc, String> missing = new EnumMap<>(Malloc.class);
    List<Malloc> available = new ArrayList<>();
    Optional<Path> jemalloc = jemallocLibrary();
    for (Malloc m : allocators) {
      if (m == Malloc.JEMALLOC && jemalloc.isEmpty()) {
        missing.put(m, "libjemalloc.so.2 not installed (apt-get install libjemalloc2)");
      } else if (!available.contains(m)) {
        available.add(m);
        runs.put(m, new ArrayList<>());
      }
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-X") || arg.startsWith("-D")) {
        command.add(arg);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(mainArguments);
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < available.size(); i++) {
        Malloc m = available.get((r + i) % available.size());
        Result result = runChild(command, m, jemalloc.orElse(null));
        runs.get(m).add(result);
        log.printf(
            Locale.ROOT,
            "bench: round %d/%d %-14s %.3f s/step, %.0f page faults/step%n",
            r + 1,
            rounds,
            m.label(),
            result.secondsPerStep(),
            result.faultsPerStep());
      }
    }
    return new Comparison(runs, missing);
  }

  private static Result runChild(List<String> command, Malloc malloc, Path jemalloc) {
    ProcessBuilder builder = new ProcessBuilder(command);
    malloc.configure(builder.environment(), jemalloc);
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    try {
      Process process = builder.start();
      Result result = null;
      StringBuilder output = new StringBuilder();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          output.append(line).append('\n');
          Optional<Result> parsed = Result.parse(line);
          if (parsed.isPresent()) {
            result = parsed.get();
          }
        }
      }
      int status = process.waitFor();
      if (status != 0 || result == null) {
        throw new ForecastingException(
            "bench: the " + malloc.label() + " child JVM exited with " + status + ": " + output);
      }
      return result;
    } catch (IOException e) {
      throw new ForecastingException("bench: cannot start a child JVM: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ForecastingException("bench: interrupted", e);
    }
  }

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
      FieldTrainer.Adam adam = new FieldTrainer.Adam(network.parameters);
      NDArray xs = manager.create(x, new Shape(rows, inputs));
      NDArray ys = manager.create(y);
      NDArray mask = manager.ones(new Shape(rows));
      double flops = 3.0 * 2.0 * rows * members * (network.multiplyAddsPerRow() + 2L * width);
      ceiling(manager, members, rows, width, 2);
      trainingSeconds(network, adam, xs, ys, mask, rows, members, 3);
      double[] ceilings = new double[rounds];
      double[] seconds = new double[rounds];
      double[] ratios = new double[rounds];
      long faults = 0;
      for (int r = 0; r < rounds; r++) {
        ceilings[r] = ceiling(manager, members, rows, width, 5);
        long faultsBefore = minorFaults();
        seconds[r] = trainingSeconds(network, adam, xs, ys, mask, rows, members, steps);
        faults += minorFaults() - faultsBefore;
        ratios[r] = flops / seconds[r] / 1e9 / ceilings[r];
      }
      double step = median(seconds);
      return new Result(
          median(ceilings),
          flops / step / 1e9,
          rows * (double) members / step,
          step,
          rss(),
          ratios,
          minorFaults() < 0 ? -1 : faults / (double) (rounds * steps));
    }
  }

  /** Mean wall time of {@code steps} full training steps (forward, backward, Adam). */
  private static double trainingSeconds(
      EnsembleNetwork network,
      FieldTrainer.Adam adam,
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

  /** Median of {@code values} (mean of the middle two for an even count). */
  public static double median(double[] values) {
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

  /** Minor page faults of this process so far (Linux {@code /proc/self/stat} field 10), or −1. */
  static long minorFaults() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command name (which is in parentheses and may contain spaces).
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[7]);
    } catch (IOException | RuntimeException e) {
      return -1;
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
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
