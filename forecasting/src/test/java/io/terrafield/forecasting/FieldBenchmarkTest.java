package io.terrafield.forecasting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The child-JVM protocol and environments of the allocator comparison (no timings asserted). */
class FieldBenchmarkTest {
  private static final Path JEMALLOC = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");

  private static Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", "/usr/bin");
    env.put("LD_PRELOAD", "/opt/other.so:" + JEMALLOC);
    env.put("MALLOC_CONF", "narenas:1");
    env.put("MALLOC_ARENA_MAX", "2");
    env.put("GLIBC_TUNABLES", "glibc.malloc.arena_max=4");
    return env;
  }

  @Test
  void resultLineRoundTrips() {
    FieldBenchmark.Result r =
        new FieldBenchmark.Result(120.5, 60.25, 1e5, 0.5, 1L << 30, new double[] {0.4, 0.6}, 12.5);
    FieldBenchmark.Result back = FieldBenchmark.Result.parse(r.toLine()).orElseThrow();
    assertThat(back.secondsPerStep()).isEqualTo(0.5);
    assertThat(back.ceilingGflops()).isEqualTo(120.5);
    assertThat(back.nativeBytes()).isEqualTo(1L << 30);
    assertThat(back.faultsPerStep()).isEqualTo(12.5);
    assertThat(back.roundRatios()).containsExactly(0.4, 0.6);
    assertThat(FieldBenchmark.Result.parse("some log line")).isEmpty();
  }

  @Test
  void jemallocChildPreloadsItAndDropsGlibcTunables() {
    Map<String, String> env = environment();
    FieldBenchmark.Malloc.JEMALLOC.configure(env, JEMALLOC);
    assertThat(env.get("LD_PRELOAD")).isEqualTo(JEMALLOC + ":/opt/other.so");
    assertThat(env.get("MALLOC_CONF")).isEqualTo(FieldBenchmark.JEMALLOC_CONF);
    assertThat(env).doesNotContainKeys("GLIBC_TUNABLES", "MALLOC_ARENA_MAX");
  }

  @Test
  void glibcChildrenRunWithoutJemallocWithAndWithoutTheTunables() {
    Map<String, String> tuned = environment();
    FieldBenchmark.Malloc.GLIBC_TUNED.configure(tuned, JEMALLOC);
    assertThat(tuned.get("LD_PRELOAD")).isEqualTo("/opt/other.so");
    assertThat(tuned.get("GLIBC_TUNABLES")).isEqualTo(FieldBenchmark.GLIBC_TUNABLES);
    assertThat(tuned).doesNotContainKeys("MALLOC_CONF", "MALLOC_ARENA_MAX");

    Map<String, String> plain = environment();
    FieldBenchmark.Malloc.GLIBC.configure(plain, JEMALLOC);
    assertThat(plain).doesNotContainKeys("GLIBC_TUNABLES", "MALLOC_CONF", "MALLOC_ARENA_MAX");
    assertThat(plain.get("LD_PRELOAD")).isEqualTo("/opt/other.so");
    assertThat(plain.get("PATH")).isEqualTo("/usr/bin");
  }

  @Test
  void allocatorNamesParseAndUnknownOnesAreNamed() {
    assertThat(FieldBenchmark.Malloc.parse("glibc+tunables"))
        .isEqualTo(FieldBenchmark.Malloc.GLIBC_TUNED);
    assertThatThrownBy(() -> FieldBenchmark.Malloc.parse("tcmalloc"))
        .isInstanceOf(ForecastingException.class)
        .hasMessageContaining("tcmalloc");
  }

  @Test
  void inProcessRunReportsFaultsAndRatiosPerRound() {
    FieldBenchmark.Result r = FieldBenchmark.run(8, 16, 2, 2, 64, 2, 2, false);
    assertThat(r.roundRatios()).hasSize(2);
    assertThat(r.secondsPerStep()).isPositive();
    assertThat(r.faultsPerStep()).isGreaterThanOrEqualTo(0);
  }
}
