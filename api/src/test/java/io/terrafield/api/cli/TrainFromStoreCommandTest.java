package io.terrafield.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.NeuralField;
import io.terrafield.forecasting.SpaceTimeSeries;
import io.terrafield.forecasting.serving.ForecastPipeline;
import io.terrafield.forecasting.training.ModelArtifact;
import io.terrafield.forecasting.training.ModelDirectory;
import io.terrafield.store.Observation;
import io.terrafield.store.PostgisTestSupport;
import io.terrafield.store.Station;
import io.terrafield.store.Stores;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code terrafield forecast train-from-store} against a small seeded history (3 stations, 8 days)
 * in the embedded H2GIS store and in PostGIS (skipped when none is reachable, mandatory under
 * {@code CI=true}), with a tiny field: the artifact is published into the model directory, its
 * manifest describes the window, and the field loads as the forecast job loads it. Missing,
 * unreachable and too-short histories are refused naming the option and its value.
 */
class TrainFromStoreCommandTest {

  private static final Instant START = Instant.parse("2016-01-01T00:00:00Z");
  private static final int DAYS = 8;
  private static final Instant LAST = START.plus(Duration.ofHours(DAYS * 24L - 1));
  private static final List<Station> STATIONS =
      List.of(
          new Station("Aotizhongxin", null, 116.397, 39.982, null, "beijing", Map.of()),
          new Station("Dongsi", null, 116.417, 39.929, null, "beijing", Map.of()),
          new Station("Tiantan", null, 116.407, 39.886, null, "beijing", Map.of()));
  private static final String[] TINY = {
    "--history-days",
    "8",
    "--min-history-days",
    "7",
    "--members",
    "2",
    "--width",
    "8",
    "--epochs",
    "1",
    "--batch-size",
    "256"
  };
  private static final FieldConfig TINY_CONFIG =
      new FieldConfig(true, true, 2, 8, 2, 5, 1, 256, 0.005, 8, 16, 42);

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TerrafieldCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static String[] train(String url, String user, Path modelDir, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "forecast",
                "train-from-store",
                "--store-url",
                url,
                "--store-user",
                user,
                "--model-dir",
                modelDir.toString()));
    args.addAll(Arrays.asList(more));
    return args.toArray(String[]::new);
  }

  static String[] tiny(String url, String user, Path modelDir, String... more) {
    return train(
        url,
        user,
        modelDir,
        Stream.concat(Stream.of(TINY), Stream.of(more)).toArray(String[]::new));
  }

  /** Three stations with {@value #DAYS} days of hourly PM2.5 (a daily cycle, a gap at one). */
  static void seed(TerrafieldStore store) {
    store.upsertStations(STATIONS);
    List<Observation> rows = new ArrayList<>();
    for (int s = 0; s < STATIONS.size(); s++) {
      for (int h = 0; h < DAYS * 24; h++) {
        if (s == 2 && h % 24 == 5) {
          continue;
        }
        double pm25 = 40 + 15 * s + 20 * Math.sin(2 * Math.PI * h / 24.0) + (h % 7);
        rows.add(
            new Observation(
                STATIONS.get(s).id(),
                START.plus(Duration.ofHours(h)),
                Map.of(Variable.PM25, pm25, Variable.TEMP, 1.0),
                null,
                1));
      }
    }
    store.upsertObservations(rows);
  }

  static String h2Url() {
    return "jdbc:h2:mem:train-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  @Test
  void trainsOnTheEmbeddedStoreAndPublishesALoadableArtifact(@TempDir Path models) {
    String url = h2Url();
    try (TerrafieldStore store = Stores.open(url, "sa", "")) {
      seed(store);
      Run first = run(tiny(url, "sa", models));
      assertThat(first.code()).as(first.err()).isZero();
      assertPublishedAndLoadable(models, first);
      assertThat(first.err())
          .contains("opening the store at " + url)
          .contains("pm25: 3 stations")
          .contains("pm25: fitting cglubnf-")
          .contains("pm25: published ");

      Run again = run(tiny(url, "sa", models));
      assertThat(again.code()).as(again.err()).isZero();
      assertThat(again.err()).contains("is already in").contains("not fitted again");
      assertThat(new ModelDirectory(models).list("pm25", p -> {})).hasSize(1);

      Run earlier =
          run(
              train(
                  url,
                  "sa",
                  models,
                  "--until",
                  "2016-01-08T20:00",
                  "--history-days",
                  "8",
                  "--min-history-days",
                  "6",
                  "--members",
                  "2",
                  "--width",
                  "8",
                  "--epochs",
                  "1",
                  "--batch-size",
                  "256"));
      assertThat(earlier.code()).as(earlier.err()).isZero();
      List<ModelArtifact> both = new ModelDirectory(models).list("pm25", p -> {});
      assertThat(both).hasSize(2);
      // 2016-01-08T20:00 at +08:00 is 12:00Z: the window ends with the hour before.
      assertThat(both.get(0).trainedThrough()).isEqualTo(Instant.parse("2016-01-08T11:00:00Z"));
    }
  }

  @Test
  void trainsOnPostgis(@TempDir Path models) {
    try (PostgisTestSupport.IsolatedSchema schema = PostgisTestSupport.isolatedSchema();
        TerrafieldStore store = Stores.open(schema.url(), schema.user(), schema.password())) {
      seed(store);
      Run run =
          run(tiny(schema.url(), schema.user(), models, "--store-password", schema.password()));
      assertThat(run.code()).as(run.err()).isZero();
      assertPublishedAndLoadable(models, run);
    }
  }

  private static void assertPublishedAndLoadable(Path models, Run run) {
    ModelDirectory directory = new ModelDirectory(models);
    List<String> problems = new ArrayList<>();
    ModelArtifact a = directory.newest("pm25", problems::add).orElseThrow();
    assertThat(problems).isEmpty();
    assertThat(run.out().strip()).isEqualTo(a.field().toString());
    assertThat(a.field()).isRegularFile().hasFileName(a.version() + ".field");
    assertThat(models.resolve("pm25").resolve(a.version() + ".json")).isRegularFile();
    assertThat(a.trainedThrough()).isEqualTo(LAST);
    assertThat(a.historyHours()).isEqualTo(DAYS * 24);
    assertThat(a.zone()).isEqualTo(ZoneOffset.ofHours(8));
    assertThat(a.config()).isEqualTo(TINY_CONFIG);
    assertThat(a.stations())
        .extracting(io.terrafield.forecasting.Station::id)
        .containsExactly("Aotizhongxin", "Dongsi", "Tiantan");
    try (NeuralField field = NeuralField.load(a.field())) {
      assertThat(field.config()).isEqualTo(TINY_CONFIG);
    }
    // As the forecast job prepares it: the training window, then the hours it serves.
    int length = a.historyHours() + 72;
    double[][] values = new double[a.stations().size()][length];
    for (double[] row : values) {
      Arrays.fill(row, 50);
    }
    SpaceTimeSeries grid =
        new SpaceTimeSeries(
            "pm25",
            a.stations(),
            LocalDateTime.ofInstant(a.historyStart(), a.zone()),
            Duration.ofHours(1),
            values);
    try (ForecastPipeline pipeline =
        ForecastPipeline.prepare(
            grid,
            a.historyHours(),
            a.config(),
            a.field(),
            new PrintStream(OutputStream.nullOutputStream()),
            new ForecastPipeline.Settings(a.zone(), 75, 72, 0),
            a.version(),
            Clock.systemUTC())) {
      assertThat(pipeline.loadedFromArtifact()).isTrue();
    }
  }

  @Test
  void anEmptyStoreIsRefusedNamingTheStore(@TempDir Path models) {
    String url = h2Url();
    try (TerrafieldStore store = Stores.open(url, "sa", "")) {
      Run run = run(tiny(url, "sa", models));
      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err())
          .contains("error: --store-url " + url + ": the store holds no pm25 observations");
      assertThat(models.resolve("pm25")).doesNotExist();
    }
  }

  @Test
  void tooFewDaysAreRefusedNamingTheMinimum(@TempDir Path models) {
    String url = h2Url();
    try (TerrafieldStore store = Stores.open(url, "sa", "")) {
      seed(store);
      Run run = run(train(url, "sa", models, "--history-days", "30", "--min-history-days", "20"));
      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err())
          .contains("error: --min-history-days 20: the store at " + url + " holds 8 days of pm25")
          .contains("fewer than the 20 needed");
    }
  }

  @Test
  void anUnreachableStoreIsRefusedNamingTheUrlAndUser(@TempDir Path models) {
    String url = "jdbc:postgresql://127.0.0.1:1/terrafield";
    Run run = run(train(url, "trainer", models, "--store-password", "x"));
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("opening the store at " + url)
        .contains("error: --store-url " + url + " (--store-user 'trainer', password given)")
        .contains("cannot connect");
  }

  @Test
  void badOptionsAreRefusedByName(@TempDir Path models) {
    String url = h2Url();
    assertThat(run(train(url, "sa", models, "--variables", "pm99")).err())
        .contains("error: --variables: 'pm99' is not one of");
    assertThat(run(train(url, "sa", models, "--until", "yesterday")).err())
        .contains("error: --until: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, got 'yesterday'");
    assertThat(run(train(url, "sa", models, "--history-days", "10")).err())
        .contains("error: --min-history-days: must be in [0, --history-days 10], was 360");
    assertThat(run(train(url, "sa", models, "--zone", "Beijing")).err())
        .contains("error: --zone: 'Beijing' is not a zone offset");
    assertThat(run("forecast", "train-from-store", "--model-dir", models.toString()).err())
        .contains("Missing required option: '--store-url=<storeUrl>'");
  }

  @Test
  void theDefaultsAreTheForecastJobsFieldAndThePasswordComesFromTheEnvironment() {
    TrainFromStoreCommand command = new TrainFromStoreCommand();
    new CommandLine(command).parseArgs("--store-url", "jdbc:h2:mem:x");
    assertThat(command.fieldConfig())
        .isEqualTo(new FieldConfig(true, true, 8, 256, 2, 5, 12, 4096, 0.005, 8, 16, 42));
    String fromEnvironment = System.getenv(TrainFromStoreCommand.PASSWORD_VARIABLE);
    assertThat(command.storePassword).isEqualTo(fromEnvironment == null ? "" : fromEnvironment);
  }

  @Test
  void progressRedrawsBecomeAtMostOneLinePerInterval() throws Exception {
    StringWriter text = new StringWriter();
    long[] now = {0};
    ProgressLines lines =
        new ProgressLines(new PrintWriter(text), Duration.ofSeconds(30), () -> now[0]);
    PrintStream out = new PrintStream(lines, true, "UTF-8");
    out.print("header line\n");
    for (int i = 1; i <= 100; i++) {
      now[0] = i * 1_000_000_000L; // one redraw per second
      out.print("\rfit " + i + "%");
    }
    out.print("\n");
    out.close();
    assertThat(text.toString().lines())
        .containsExactly("header line", "fit 1%", "fit 31%", "fit 61%", "fit 91%", "fit 100%");
  }
}
