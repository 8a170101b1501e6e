package io.terrafield.api.cli;

import io.terrafield.api.forecasts.StoreTrainingHistory;
import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.training.FieldTraining;
import io.terrafield.forecasting.training.ModelArtifact;
import io.terrafield.forecasting.training.ModelDirectory;
import io.terrafield.store.Stores;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code terrafield forecast train-from-store}: the training of a deployment (the Helm chart's
 * training CronJob). Reads the training window of hourly observations and the stations that have
 * values in it from the store, fits the served field with the training code of the embedded runtime
 * ({@link StoreTrainingHistory}, {@link FieldTraining}) and publishes a new versioned artifact
 * ({@code <variable>/<version>.field} and its {@code .json} manifest) into {@code --model-dir},
 * where the forecast job picks it up. The field options must match the forecast job's ({@code
 * --members --width --epochs --batch-size}): the job refuses an artifact of another configuration.
 */
@Command(
    name = "train-from-store",
    mixinStandardHelpOptions = true,
    description = {
      "Fits the forecast field on the store's hourly history (the --history-days ending with the"
          + " newest stored hour) and publishes a new versioned model artifact (.field + .json"
          + " manifest) into --model-dir, where the forecast job picks it up.",
      "The field options (--members --width --epochs --batch-size) must be the forecast job's."
    })
public final class TrainFromStoreCommand implements Callable<Integer> {

  /** Environment variable of the store password (the chart sets it from the database Secret). */
  public static final String PASSWORD_VARIABLE = "TERRAFIELD_STORE_PASSWORD";

  @Spec CommandSpec spec;

  @Option(
      names = "--store-url",
      required = true,
      description = "JDBC URL of the store: jdbc:postgresql://host:5432/db or jdbc:h2:…")
  String storeUrl;

  @Option(names = "--store-user", defaultValue = "", description = "Store user.")
  String storeUser;

  @Option(
      names = "--store-password",
      defaultValue = "${env:" + PASSWORD_VARIABLE + ":-}",
      description = "Store password (default: $" + PASSWORD_VARIABLE + ").")
  String storePassword;

  @Option(
      names = "--model-dir",
      defaultValue = "${sys:user.home}/.terrafield/models",
      description = "Root of the versioned model artifacts (default: ${DEFAULT-VALUE}).")
  Path modelDir;

  @Option(
      names = {"--variables", "--variable"},
      defaultValue = "pm25",
      split = ",",
      description = "Variables to train, comma-separated keys (default: ${DEFAULT-VALUE}).")
  List<String> variables;

  @Option(
      names = "--history-days",
      defaultValue = "365",
      description = "Training window, days (default: ${DEFAULT-VALUE}).")
  int historyDays;

  @Option(
      names = "--min-history-days",
      defaultValue = "360",
      description =
          "Days of observed history the window must span, else nothing is trained (default:"
              + " ${DEFAULT-VALUE}).")
  int minHistoryDays;

  @Option(
      names = "--until",
      description =
          "End of the training window, exclusive, in --zone local time: 2016-01-01 or"
              + " 2016-01-01T06:00 (default: after the newest stored hour).")
  String until;

  @Option(
      names = "--zone",
      defaultValue = "+08:00",
      description = "Offset of the data's local times (default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(names = "--members", defaultValue = "8", description = "Ensemble members.")
  int members;

  @Option(names = "--width", defaultValue = "256", description = "Hidden width.")
  int width;

  @Option(names = "--epochs", defaultValue = "12", description = "Training epochs.")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "4096", description = "Batch size.")
  int batchSize;

  @Option(
      names = "--progress-interval",
      defaultValue = "PT30S",
      description =
          "Without a terminal, how often the fit's progress is logged as a line, ISO-8601"
              + " (default: ${DEFAULT-VALUE}).")
  Duration progressInterval;

  /** Creates the command (picocli needs a public no-arg constructor). */
  public TrainFromStoreCommand() {}

  /** The field configuration of these options: the forecast job builds its own the same way. */
  FieldConfig fieldConfig() {
    return new FieldConfig(true, true, members, width, 2, 5, epochs, batchSize, 0.005, 8, 16, 42);
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    List<Variable> keys = variables();
    ZoneOffset offset = offset();
    Optional<Instant> end = end(offset);
    validateSizes();
    ModelDirectory directory = modelDirectory();
    FieldConfig config = fieldConfig();
    err.printf(Locale.ROOT, "opening the store at %s as user '%s'%n", storeUrl, storeUser);
    err.flush();
    try (TerrafieldStore store = open()) {
      for (Variable v : keys) {
        ModelArtifact a = train(store, v, end, offset, config, directory, err);
        out.println(a.field());
        out.flush();
      }
    }
    return 0;
  }

  private ModelArtifact train(
      TerrafieldStore store,
      Variable v,
      Optional<Instant> end,
      ZoneOffset offset,
      FieldConfig config,
      ModelDirectory directory,
      PrintWriter err) {
    long started = System.nanoTime();
    Instant newest =
        StoreTrainingHistory.newestHour(store, v)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--store-url "
                            + storeUrl
                            + ": the store holds no "
                            + v.key()
                            + " observations to train on (the sensor job writes them;"
                            + " `terrafield store import` loads a history)"));
    Instant last = newest;
    if (end.isPresent()) {
      Instant beforeEnd = end.get().minusSeconds(1).truncatedTo(ChronoUnit.HOURS);
      if (beforeEnd.isBefore(last)) {
        last = beforeEnd;
      }
    }
    err.printf(
        Locale.ROOT,
        "%s: reading %d days of hourly history through %s (newest stored hour %s)%n",
        v.key(),
        historyDays,
        last,
        newest);
    err.flush();
    StoreTrainingHistory.Window window =
        StoreTrainingHistory.read(store, v, last, historyDays, offset);
    if (window.observed() == 0) {
      throw new IllegalArgumentException(
          (end.isPresent() ? "--until " + until : "--store-url " + storeUrl)
              + ": the store holds no "
              + v.key()
              + " observations in the "
              + historyDays
              + " days through "
              + last
              + " (its newest is "
              + newest
              + ")");
    }
    long days = window.observedSpan().toHours() / 24;
    if (window.observedSpan().compareTo(Duration.ofDays(minHistoryDays)) < 0) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "--min-history-days %d: the store at %s holds %d days of %s history in the"
                  + " training window (%s through %s), fewer than the %d needed; train once more"
                  + " history is stored, or lower --min-history-days",
              minHistoryDays,
              storeUrl,
              days,
              v.key(),
              window.earliest(),
              last,
              minHistoryDays));
    }
    int stations = window.series().stations().size();
    err.printf(
        Locale.ROOT,
        "%s: %d stations, %d hourly values from %s through %s (%d days observed), read in %.1f s%n",
        v.key(),
        stations,
        window.observed(),
        window.earliest(),
        last,
        days,
        (System.nanoTime() - started) / 1e9);
    String version = FieldTraining.version(v.key(), window.series(), last, config);
    boolean present =
        directory.list(v.key(), problem -> {}).stream().anyMatch(a -> a.version().equals(version));
    if (present) {
      err.printf(
          Locale.ROOT,
          "%s: %s is already in %s (same history and configuration); not fitted again%n",
          v.key(),
          version,
          directory.variableDir(v.key()));
    } else {
      err.printf(
          Locale.ROOT,
          "%s: fitting %s (members %d, width %d, epochs %d, batch size %d)%n",
          v.key(),
          version,
          members,
          width,
          epochs,
          batchSize);
    }
    err.flush();
    long fitStarted = System.nanoTime();
    ModelArtifact artifact;
    // On a terminal the fit draws its progress bar; in a pod's log it becomes a line per interval.
    ProgressLines lines =
        System.console() == null ? new ProgressLines(err, progressInterval) : null;
    PrintStream progress =
        new PrintStream(lines != null ? lines : System.err, true, StandardCharsets.UTF_8);
    try {
      artifact =
          FieldTraining.train(
              v.key(),
              window.series(),
              last,
              offset,
              config,
              directory,
              progress,
              Clock.systemUTC());
    } finally {
      progress.flush();
      if (lines != null) {
        lines.close();
      }
    }
    if (!present) {
      err.printf(
          Locale.ROOT,
          "%s: published %s and its manifest %s.json in %.0f s%n",
          v.key(),
          artifact.field(),
          artifact.version(),
          (System.nanoTime() - fitStarted) / 1e9);
      err.flush();
    }
    return artifact;
  }

  private TerrafieldStore open() {
    try {
      return Stores.open(storeUrl, storeUser, storePassword);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--store-url "
              + storeUrl
              + " (--store-user '"
              + storeUser
              + "', password "
              + (storePassword.isEmpty() ? "empty: is $" + PASSWORD_VARIABLE + " set?" : "given")
              + "): "
              + e.getMessage(),
          e);
    }
  }

  private List<Variable> variables() {
    List<Variable> out = new ArrayList<>();
    for (String key : variables) {
      String k = key.trim();
      out.add(
          Variable.byKey(k)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "--variables: '"
                              + k
                              + "' is not one of "
                              + Arrays.stream(Variable.values()).map(Variable::key).toList())));
    }
    return out;
  }

  private ZoneOffset offset() {
    try {
      return ZoneOffset.of(zone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "--zone: '" + zone + "' is not a zone offset like +08:00", e);
    }
  }

  private Optional<Instant> end(ZoneOffset offset) {
    if (until == null || until.isBlank()) {
      return Optional.empty();
    }
    try {
      LocalDateTime t =
          until.contains("T") ? LocalDateTime.parse(until) : LocalDate.parse(until).atStartOfDay();
      return Optional.of(t.toInstant(offset));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--until: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, got '" + until + "'", e);
    }
  }

  private void validateSizes() {
    if (historyDays < 1) {
      throw new IllegalArgumentException("--history-days: must be >= 1, was " + historyDays);
    }
    if (minHistoryDays < 0 || minHistoryDays > historyDays) {
      throw new IllegalArgumentException(
          "--min-history-days: must be in [0, --history-days "
              + historyDays
              + "], was "
              + minHistoryDays);
    }
    int[] sizes = {members, width, epochs, batchSize};
    String[] names = {"--members", "--width", "--epochs", "--batch-size"};
    for (int i = 0; i < sizes.length; i++) {
      if (sizes[i] < 1) {
        throw new IllegalArgumentException(names[i] + ": must be >= 1, was " + sizes[i]);
      }
    }
    if (progressInterval.isNegative()) {
      throw new IllegalArgumentException(
          "--progress-interval: must not be negative, was " + progressInterval);
    }
  }

  private ModelDirectory modelDirectory() {
    try {
      Files.createDirectories(modelDir);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--model-dir " + modelDir + ": cannot create it (" + e + ")", e);
    }
    if (!Files.isWritable(modelDir)) {
      throw new IllegalArgumentException("--model-dir " + modelDir + ": not writable");
    }
    return new ModelDirectory(modelDir);
  }
}
