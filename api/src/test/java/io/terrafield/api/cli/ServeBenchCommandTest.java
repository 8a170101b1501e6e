package io.terrafield.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code terrafield serve bench} against a stub server: every due request is sent once and counted,
 * non-2xx answers are errors, the table has a row per target; bad options are refused by name.
 * Counts only: timings are the benchmark's output, never a test's assertion.
 */
class ServeBenchCommandTest {

  HttpServer server;
  AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          int status = exchange.getRequestURI().getPath().endsWith("/cube") ? 503 : 200;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void firesEveryDueRequestAndPrintsOneRowPerTarget() {
    StringWriter out = new StringWriter();
    CommandLine cli = TerrafieldCli.commandLine();
    cli.setOut(new PrintWriter(out));
    int code =
        cli.execute(
            "serve",
            "bench",
            "--url",
            "http://127.0.0.1:" + server.getAddress().getPort(),
            "--rate",
            "40",
            "--duration",
            "1s",
            "--warmup",
            "0");
    assertThat(code).isZero();
    String table = out.toString();
    // 3 probes + 3 targets x 40 requests.
    assertThat(requests.get()).isEqualTo(3 + 3 * 40);
    assertThat(table).contains("note: cube 10x10x72 answers 503 before the run");
    assertThat(table.lines().filter(l -> l.startsWith("/collections ")).findFirst().orElseThrow())
        .matches("/collections\\s+40\\s.*\\s0\\s+0/0/0\\s+1\\.0x");
    assertThat(table.lines().filter(l -> l.startsWith("cube 10x10x72")).findFirst().orElseThrow())
        .matches("cube 10x10x72\\s+40\\s+0\\.0\\s+NaN.*\\s40\\s+40/0/0\\s+-");
    assertThat(table).contains("cube 10x10x72 non-2xx: 503=40", "load average after:");
  }

  @Test
  void badOptionsAreRefusedByName() {
    StringWriter err = new StringWriter();
    CommandLine cli = TerrafieldCli.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("serve", "bench", "--duration", "soon")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--duration: 'soon' is not a duration such as 30s, 2m or 500ms");
    assertThat(cli.execute("serve", "bench", "--rate=0")).isEqualTo(2);
    assertThat(err.toString()).contains("--rate: 0.0 is not in (0, 100000]");
  }
}
