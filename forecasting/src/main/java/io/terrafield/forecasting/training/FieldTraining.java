package io.terrafield.forecasting.training;

import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.ForecastingException;
import io.terrafield.forecasting.SpaceTimeSeries;
import io.terrafield.forecasting.Station;
import io.terrafield.forecasting.serving.ForecastPipeline;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * Fits the served field (the evaluated CGLUBNF model, {@link ForecastPipeline#prepare}) on a
 * history and publishes it as a versioned artifact. The version names the training window's end and
 * hashes variable, stations, window and configuration, so training the same history twice finds the
 * artifact instead of fitting again. Training is separate from serving: {@code terrafield forecast
 * train} and the embedded runtime's training thread call it; the forecast job only reads artifacts.
 */
public final class FieldTraining {

  /** The model name of the served field. */
  public static final String MODEL = "cglubnf";

  private FieldTraining() {}

  /** The version of a training run (see the class comment). */
  public static String version(
      String variable, SpaceTimeSeries history, Instant trainedThrough, FieldConfig config) {
    String key =
        String.join(
            "|",
            variable,
            history.stations().stream().map(Station::id).toList().toString(),
            history.time(0).toString(),
            trainedThrough.toString(),
            config.toString());
    return String.format(
        Locale.ROOT,
        "%s-%s-%08x",
        MODEL,
        trainedThrough.toString().replace(":", "").replace("-", ""),
        key.hashCode());
  }

  /**
   * Fits the field on the whole of {@code history} (hourly, station × hour, NaN where absent; its
   * last hour is {@code trainedThrough}) and publishes it into {@code directory}, or returns the
   * artifact of the same version when it is there already.
   *
   * @throws ForecastingException naming the problem when the history is not hourly or the fit or
   *     the write fails
   */
  public static ModelArtifact train(
      String variable,
      SpaceTimeSeries history,
      Instant trainedThrough,
      ZoneOffset zone,
      FieldConfig config,
      ModelDirectory directory,
      PrintStream progress,
      Clock clock) {
    if (!history.hourly()) {
      throw new ForecastingException("history: training needs hourly data");
    }
    if (!history.time(history.length() - 1).toInstant(zone).equals(trainedThrough)) {
      throw new ForecastingException(
          "trainedThrough: "
              + trainedThrough
              + " is not the last hour of the history ("
              + history.time(history.length() - 1)
              + " at "
              + zone
              + ")");
    }
    String version = version(variable, history, trainedThrough, config);
    Optional<ModelArtifact> existing =
        directory.list(variable, p -> {}).stream()
            .filter(a -> a.version().equals(version))
            .findFirst();
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      Path tmp = directory.temporaryField(variable, version);
      Files.deleteIfExists(tmp);
      ForecastPipeline.Settings settings = new ForecastPipeline.Settings(zone, 0, 1, 0);
      try (ForecastPipeline fitted =
          ForecastPipeline.prepare(
              history, history.length(), config, tmp, progress, settings, version, clock)) {
        if (fitted.loadedFromArtifact() || !Files.isRegularFile(tmp)) {
          throw new ForecastingException("training " + version + ": no field was written");
        }
      }
      return directory.publish(
          new ModelArtifact(
              variable,
              version,
              trainedThrough,
              history.length(),
              zone,
              config,
              history.stations(),
              tmp),
          tmp);
    } catch (IOException e) {
      throw new ForecastingException(
          "training " + version + ": cannot write into " + directory.root() + ": " + e, e);
    }
  }
}
