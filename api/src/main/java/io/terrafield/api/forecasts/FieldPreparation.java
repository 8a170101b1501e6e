package io.terrafield.api.forecasts;

import io.terrafield.api.forecasts.ServedField.Served;
import io.terrafield.api.forecasts.ServedField.State;
import io.terrafield.api.runtime.TerrafieldProperties;
import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.ForecastingException;
import io.terrafield.forecasting.serving.ForecastPipeline;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the served field of a variable: reads the last {@code history-days} of the store into
 * the pipeline's grid, refuses too short a history (with the reason), fits the field of the
 * configured size — or loads its versioned artifact {@code model-dir/<variable>/<version>.field},
 * whose version names the training window's end and hashes stations, window and configuration — and
 * reports progress to the log and the variable's status.
 */
final class FieldPreparation {
  private static final Logger LOG = LoggerFactory.getLogger(FieldPreparation.class);

  private final TerrafieldStore store;
  private final TerrafieldProperties.Forecast settings;
  private final Clock clock;

  FieldPreparation(TerrafieldStore store, TerrafieldProperties.Forecast settings, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Reads the history up to {@code newest}, fits (or loads) the field and prepares its pipeline.
   * Runs on the fit thread.
   *
   * @param report whether progress goes to the state's status (not for background refits)
   * @throws ForecastNotReadyException when the history is shorter than {@code min-history}
   */
  Served prepare(Variable v, Instant newest, State state, boolean report) {
    int historyHours = settings.historyDays() * 24;
    Instant from = newest.minus(Duration.ofHours(historyHours - 1L));
    int hours = historyHours + settings.servingDays() * 24 + ForecastService.HORIZONS;
    ServedHistory.Grid grid =
        ServedHistory.read(store, v, from, newest, hours, settings.zoneOffset());
    Duration span = Duration.between(grid.earliest(), newest).plusHours(1);
    if (span.compareTo(settings.minHistory()) < 0) {
      throw new ForecastNotReadyException(
          String.format(
              Locale.ROOT,
              "%s has %.1f days of hourly history up to %s; a field is only served when it is"
                  + " fitted on at least %.0f days (the demo imports a year of history first)",
              v.key(),
              span.toMinutes() / 1440.0,
              newest,
              settings.minHistory().toMinutes() / 1440.0));
    }
    FieldConfig config =
        new FieldConfig(
            true,
            true,
            settings.members(),
            settings.width(),
            2,
            5,
            settings.epochs(),
            settings.batchSize(),
            0.005,
            8,
            16,
            42);
    String key =
        String.join(
            "|",
            v.key(),
            grid.stations().stream().map(Station::id).toList().toString(),
            from.toString(),
            newest.toString(),
            config.toString());
    String version =
        String.format(
            Locale.ROOT,
            "%s-%s-%08x",
            ForecastService.MODEL,
            newest.toString().replace(":", "").replace("-", ""),
            key.hashCode());
    Path file = Path.of(settings.modelDir()).resolve(v.key()).resolve(version + ".field");
    String what =
        String.format(
            Locale.ROOT,
            "%d stations × %.0f days up to %s (%d values; %d members × width %d × %d epochs)",
            grid.stations().size(),
            span.toMinutes() / 1440.0,
            newest,
            grid.observed(),
            settings.members(),
            settings.width(),
            settings.epochs());
    if (report) {
      state.status(
          new ForecastStatus(
              Files.isRegularFile(file) ? "loading" : "fitting",
              Files.isRegularFile(file)
                  ? "loading the " + v.key() + " field fitted before on " + what
                  : "fitting the "
                      + v.key()
                      + " field on "
                      + what
                      + "; on 2 cores this takes a few minutes",
              clock.instant()));
    }
    long t0 = System.nanoTime();
    ForecastPipeline pipeline;
    try (PrintStream progress = progressStream(v, state, report)) {
      pipeline = preparePipeline(grid, file, config, version, progress);
    }
    // the hours about to be issued: the replay has moved on while the field was fitted
    Instant now = ServedHistory.newestHour(store, v).orElse(newest);
    int first = Math.max(pipeline.fitEnd(), pipeline.indexOf(now) + 1);
    if (report) {
      state.status(
          new ForecastStatus(
              "fitting",
              "preparing the interval calibration of the first issue hours",
              clock.instant()));
    }
    pipeline.warmCalibration(first, 36);
    LOG.info(
        "{} the {} field {} on {} in {} s: {}",
        pipeline.loadedFromArtifact() ? "Loaded" : "Fitted",
        v.key(),
        version,
        what,
        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9),
        pipeline.describe());
    return new Served(pipeline, grid.stations(), newest);
  }

  private ForecastPipeline preparePipeline(
      ServedHistory.Grid grid,
      Path file,
      FieldConfig config,
      String version,
      PrintStream progress) {
    ForecastPipeline.Settings serving =
        new ForecastPipeline.Settings(
            settings.zoneOffset(),
            settings.threshold(),
            ForecastService.HORIZONS,
            settings.domainKm());
    int fitEnd = settings.historyDays() * 24;
    try {
      return ForecastPipeline.prepare(
          grid.series(), fitEnd, config, file, progress, serving, version, clock);
    } catch (ForecastingException e) {
      if (!Files.isRegularFile(file)) {
        throw e;
      }
      LOG.warn("The model artifact {} is unusable ({}); fitting anew", file, e.getMessage());
      try {
        Files.move(file, file.resolveSibling(file.getFileName() + ".unusable"));
      } catch (IOException io) {
        throw new IllegalStateException("cannot set aside the unusable artifact " + file, io);
      }
      return ForecastPipeline.prepare(
          grid.series(), fitEnd, config, file, progress, serving, version, clock);
    }
  }

  /** Progress lines of the fit into the log (whole lines) and the status (the latest update). */
  private PrintStream progressStream(Variable v, State state, boolean report) {
    OutputStream lines =
        new OutputStream() {
          private final StringBuilder line = new StringBuilder();

          @Override
          public void write(int b) {
            if (b == '\r' || b == '\n') {
              String text = line.toString().strip();
              line.setLength(0);
              if (!text.isEmpty()) {
                if (report) {
                  ForecastStatus s = state.status;
                  state.status(
                      new ForecastStatus(
                          "fitting",
                          s.message().replaceAll(" — .*$", "") + " — " + text,
                          s.since()));
                }
                if (b == '\n') {
                  LOG.info("{} field: {}", v.key(), text);
                }
              }
            } else {
              line.append((char) b);
            }
          }
        };
    return new PrintStream(lines, true, StandardCharsets.UTF_8);
  }
}
