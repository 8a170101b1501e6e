package io.terrafield.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.store.SharedData;
import io.terrafield.store.Stores;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StoreCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = StoreCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void importsOneDayOfBeijingIdempotently() {
    String data = SharedData.require("airquality/beijing").toString();
    String url =
        "jdbc:h2:mem:cli_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    String[] args = {
      "import",
      "--dataset",
      "beijing",
      "--data",
      data,
      "--jdbc-url",
      url,
      "--from",
      "2014-01-01",
      "--to",
      "2014-01-02"
    };

    assertThat(run(args)).isEqualTo(0);
    assertThat(run(args)).isEqualTo(0);

    assertThat(out.toString()).contains("imported 12 stations and 288 observations of beijing");
    assertThat(out.toString()).contains("the store holds 288 observations");
    try (TerrafieldStore store = Stores.open(url, "sa", "")) {
      assertThat(store.countObservations()).isEqualTo(288);
      assertThat(store.latestValues(Variable.PM25))
          .hasSize(12)
          .allSatisfy(lv -> assertThat(lv.time()).isEqualTo(Instant.parse("2014-01-01T23:00:00Z")));
    }
  }

  @Test
  void badInputPrintsOneErrorLineAndExitsWithTwo() {
    assertThat(run("import", "--dataset", "mars")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: --dataset must be beijing or germany, was 'mars'" + System.lineSeparator());

    assertThat(run("status", "--jdbc-url", "jdbc:oracle:thin:@x")).isEqualTo(2);
    assertThat(err.toString()).contains("error: unsupported JDBC URL 'jdbc:oracle:thin:@x'");
  }

  /**
   * The password comes from TERRAFIELD_STORE_PASSWORD when --password is not given (a Kubernetes
   * Secret as an environment variable, not an argument other processes can read): {@code status} in
   * a child JVM against an H2 store created with a password.
   */
  @Test
  void thePasswordComesFromTheEnvironmentWithoutTheOption(@TempDir java.nio.file.Path dir)
      throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
    io.terrafield.store.Stores.open(url, "sa", "s3cret").close();

    assertThat(status(url, "s3cret")).isZero();
    assertThat(status(url, null)).isEqualTo(2);
  }

  private static int status(String url, String environmentPassword) throws Exception {
    ProcessBuilder child =
        new ProcessBuilder(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StoreCommand.class.getName(),
                "status",
                "--jdbc-url",
                url,
                "--user",
                "sa")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    child.environment().remove("TERRAFIELD_STORE_PASSWORD");
    if (environmentPassword != null) {
      child.environment().put("TERRAFIELD_STORE_PASSWORD", environmentPassword);
    }
    return child.start().waitFor();
  }
}
