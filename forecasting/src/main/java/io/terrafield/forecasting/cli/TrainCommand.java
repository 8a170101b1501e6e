package io.terrafield.forecasting.cli;

import io.terrafield.forecasting.AirQualityDatasets;
import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.ForecastingException;
import io.terrafield.forecasting.SpaceTimeSeries;
import io.terrafield.forecasting.training.FieldTraining;
import io.terrafield.forecasting.training.ModelArtifact;
import io.terrafield.forecasting.training.ModelDirectory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code forecast train}: fits the served field on the last {@code --history-days} of a data
 * directory before {@code --until} and publishes the versioned artifact into {@code --model-dir}
 * (temporary file + rename), where the forecast job picks it up. The embedded runtime trains the
 * same way from its store on a schedule.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Fits the served field and writes a versioned model artifact atomically.")
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--dataset", required = true, description = "beijing or germany")
  String dataset;

  @Option(names = "--data", required = true, description = "data directory")
  Path data;

  @Option(names = "--target", defaultValue = "PM2.5", description = "column to forecast")
  String target;

  @Option(
      names = "--variable",
      defaultValue = "pm25",
      description = "variable key of the artifact (its directory under --model-dir)")
  String variable;

  @Option(
      names = "--until",
      required = true,
      description = "end of the training window, exclusive (YYYY-MM-DD, local time of the data)")
  String until;

  @Option(names = "--history-days", defaultValue = "365", description = "training window, days")
  int historyDays;

  @Option(
      names = "--model-dir",
      defaultValue = "${sys:user.home}/.terrafield/models",
      description = "artifact root (default: ${DEFAULT-VALUE})")
  Path modelDir;

  @Option(names = "--zone", defaultValue = "+08:00", description = "offset of the data's times")
  String zone;

  @Option(names = "--members", defaultValue = "8", description = "ensemble members")
  int members;

  @Option(names = "--width", defaultValue = "256", description = "hidden width")
  int width;

  @Option(names = "--epochs", defaultValue = "12", description = "training epochs")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "4096", description = "batch size")
  int batchSize;

  @Override
  public Integer call() {
    ZoneOffset offset = ZoneOffset.of(zone);
    LocalDateTime end;
    try {
      end = LocalDate.parse(until).atStartOfDay();
    } catch (DateTimeParseException e) {
      throw new ForecastingException("--until: expected YYYY-MM-DD, got '" + until + "'");
    }
    SpaceTimeSeries all = AirQualityDatasets.read(dataset, data, target);
    int stop = all.indexOf(end);
    int start = stop - historyDays * 24;
    if (stop <= 0 || stop > all.length() || start < 0) {
      throw new ForecastingException(
          "--until/--history-days: "
              + historyDays
              + " days before "
              + until
              + " are not inside the data ("
              + all.time(0)
              + " .. "
              + all.time(all.length() - 1)
              + ")");
    }
    double[][] window = new double[all.stations().size()][];
    for (int s = 0; s < window.length; s++) {
      window[s] = Arrays.copyOfRange(all.values()[s], start, stop);
    }
    SpaceTimeSeries history =
        new SpaceTimeSeries(variable, all.stations(), all.time(start), all.step(), window);
    FieldConfig config =
        new FieldConfig(true, true, members, width, 2, 5, epochs, batchSize, 0.005, 8, 16, 42);
    ModelArtifact a =
        FieldTraining.train(
            variable,
            history,
            all.time(stop - 1).toInstant(offset),
            offset,
            config,
            new ModelDirectory(modelDir),
            System.err,
            Clock.systemUTC());
    System.out.println(a.field());
    return 0;
  }
}
