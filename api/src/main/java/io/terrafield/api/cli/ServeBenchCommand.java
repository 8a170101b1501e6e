package io.terrafield.api.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code terrafield serve bench}: the serving benchmark of issue #11. Fires open-loop constant-rate
 * GETs ({@link OpenLoopLoad}) at {@code /collections} (the baseline: no forecast work), a position
 * query and a 10 × 10 × 72 cube of one collection, one after the other in the same run (or all at
 * once with {@code --concurrent}), after a short warm-up each, and prints one table: requests due,
 * answers per second achieved, p50/p95/p99/max latency, errors, and the ratio of each p99 to the
 * baseline's, with the machine's load average.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Serving benchmark: open-loop constant-rate requests at /collections, a position query and"
          + " a 10 x 10 x 72 cube of a running Terrafield; prints latency percentiles, the rate"
          + " achieved, errors and the ratio to /collections."
    })
final class ServeBenchCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--url", defaultValue = "http://localhost:8080", description = "Base URL.")
  URI url;

  @Option(
      names = "--rate",
      defaultValue = "200",
      description = "Requests per second for each target (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      description = "Measured time per target, e.g. 30s, 2m (default ${DEFAULT-VALUE}).")
  String duration;

  @Option(
      names = "--warmup",
      defaultValue = "3s",
      description = "Unmeasured load before each target (default ${DEFAULT-VALUE}).")
  String warmup;

  @Option(
      names = "--collection",
      defaultValue = "pm25",
      description = "Collection of the position and cube queries (default ${DEFAULT-VALUE}).")
  String collection;

  @Option(
      names = "--timeout",
      defaultValue = "30s",
      description = "Per-request timeout; a later answer is an error (default ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--max-in-flight",
      defaultValue = "1000",
      description = "Outstanding requests at most; requests due beyond are errors.")
  int maxInFlight;

  @Option(
      names = "--concurrent",
      description = "Load the three targets at the same time (each at --rate).")
  boolean concurrent;

  @Override
  public Integer call() throws Exception {
    Duration measured = duration("--duration", duration);
    Duration warm = warmup.equals("0") ? Duration.ZERO : duration("--warmup", warmup);
    Duration perRequest = duration("--timeout", timeout);
    if (!(rate > 0 && rate <= 100_000)) {
      throw new IllegalArgumentException("--rate: " + rate + " is not in (0, 100000]");
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("--max-in-flight: must be at least 1, was " + maxInFlight);
    }
    if (url.getScheme() == null || !url.getScheme().startsWith("http")) {
      throw new IllegalArgumentException("--url: '" + url + "' is not an http(s) URL");
    }
    List<Target> targets = targets();
    PrintWriter out = spec.commandLine().getOut();
    ExecutorService io = Executors.newFixedThreadPool(4, daemon());
    HttpClient client =
        HttpClient.newBuilder()
            .executor(io)
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    try {
      for (Target t : targets) {
        int status = probe(client, t.uri());
        if (status / 100 != 2) {
          out.printf("note: %s answers %d before the run%n", t.label(), status);
        }
      }
      OpenLoopLoad load = new OpenLoopLoad(client, perRequest, maxInFlight);
      out.printf(
          Locale.ROOT,
          "%s, %.0f requests/s per target, %s each after %s warm-up%s; load average before: %s%n",
          url,
          rate,
          duration,
          warmup,
          concurrent ? ", all targets at once" : ", one target after the other",
          loadAverage());
      List<OpenLoopLoad.Result> results =
          concurrent
              ? runConcurrently(load, targets, warm, measured)
              : run(load, targets, warm, measured);
      out.print(BenchTable.format(results, rate));
      out.printf(
          "load average after: %s (%d cores)%n",
          loadAverage(), Runtime.getRuntime().availableProcessors());
      out.flush();
      return 0;
    } finally {
      io.shutdownNow();
    }
  }

  /** The baseline first: its p99 divides the others'. */
  private List<Target> targets() {
    String base = url.toString().replaceAll("/+$", "");
    String c = base + "/collections/" + collection;
    return List.of(
        new Target("/collections", URI.create(base + "/collections")),
        new Target("position", URI.create(c + "/position?coords=POINT(116.417%2039.929)")),
        new Target(
            "cube 10x10x72",
            URI.create(c + "/cube?bbox=116.1,39.8,116.7,40.3&resolution-x=10&resolution-y=10")));
  }

  private List<OpenLoopLoad.Result> run(
      OpenLoopLoad load, List<Target> targets, Duration warm, Duration measured)
      throws InterruptedException {
    List<OpenLoopLoad.Result> results = new ArrayList<>();
    for (Target t : targets) {
      if (!warm.isZero()) {
        load.run(t.label(), t.uri(), rate, warm);
      }
      results.add(load.run(t.label(), t.uri(), rate, measured));
    }
    return results;
  }

  private List<OpenLoopLoad.Result> runConcurrently(
      OpenLoopLoad load, List<Target> targets, Duration warm, Duration measured) throws Exception {
    ExecutorService drivers = Executors.newFixedThreadPool(targets.size(), daemon());
    try {
      List<java.util.concurrent.Future<OpenLoopLoad.Result>> futures = new ArrayList<>();
      for (Target t : targets) {
        futures.add(
            drivers.submit(
                () -> {
                  if (!warm.isZero()) {
                    load.run(t.label(), t.uri(), rate, warm);
                  }
                  return load.run(t.label(), t.uri(), rate, measured);
                }));
      }
      List<OpenLoopLoad.Result> results = new ArrayList<>();
      for (var f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      drivers.shutdownNow();
    }
  }

  private static int probe(HttpClient client, URI uri) {
    try {
      return client
          .send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      throw new IllegalArgumentException("--url: cannot reach " + uri + " (" + e + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** {@code 30s}, {@code 2m}, {@code 500ms} or an ISO-8601 duration. */
  static Duration duration(String option, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d =
            Duration.ofMillis(
                Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      } else if (t.endsWith("m")) {
        d = Duration.ofSeconds(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60));
      } else {
        d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
      }
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(option + ": '" + text + "' is not a positive duration");
      }
      return d;
    } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          option + ": '" + text + "' is not a duration such as 30s, 2m or 500ms");
    }
  }

  /** The 1, 5 and 15 minute load averages (as {@code uptime} prints them), or "unknown". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + ", " + f[1] + ", " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "serve-bench");
      t.setDaemon(true);
      return t;
    };
  }

  private record Target(String label, URI uri) {}
}
