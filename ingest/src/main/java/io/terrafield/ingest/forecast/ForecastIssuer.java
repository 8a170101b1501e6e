package io.terrafield.ingest.forecast;

import io.terrafield.forecasting.SpaceTimeSeries;
import io.terrafield.forecasting.Station;
import io.terrafield.forecasting.serving.ForecastDomain;
import io.terrafield.forecasting.serving.ForecastPipeline;
import io.terrafield.forecasting.serving.IssuedForecast;
import io.terrafield.forecasting.training.ModelArtifact;
import io.terrafield.forecasting.training.ModelDirectory;
import io.terrafield.store.ForecastGrid;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The served pipeline of one variable inside a forecast-job subtask: a cache rebuilt from the
 * newest usable model artifact and the history window held in Flink state. Before each issue it
 * looks for a newer artifact (a poll of the model directory) and swaps it in only once the new
 * pipeline is prepared; a missing, corrupt or mismatched artifact is logged once with the reason
 * and the previous pipeline keeps serving. Not thread-safe (one subtask thread).
 *
 * <p>The residual update and the interval calibration of the pipeline are functions of the artifact
 * and the history (ForecastPipeline, Forecaster): rebuilding from the same window after a restore
 * gives the same issues.
 */
final class ForecastIssuer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ForecastIssuer.class);

  private final String variable;
  private final ForecastJobOptions options;
  private final ModelDirectory directory;
  private final Set<String> refused = new HashSet<>();
  private ModelArtifact artifact;
  private ForecastPipeline pipeline;
  private List<ForecastGrid.Cell> cells = List.of();

  ForecastIssuer(String variable, ForecastJobOptions options) {
    this.variable = variable;
    this.options = options;
    this.directory = new ModelDirectory(Path.of(options.modelDir()));
  }

  /** The stations of the serving artifact, or empty before one serves. */
  Set<String> stationIds() {
    Set<String> ids = new HashSet<>();
    if (artifact != null) {
      artifact.stations().forEach(s -> ids.add(s.id()));
    }
    return ids;
  }

  /** The serving artifact's version, if any. */
  Optional<String> version() {
    return Optional.ofNullable(artifact).map(ModelArtifact::version);
  }

  /** The forecast-domain cells of the serving pipeline. */
  List<ForecastGrid.Cell> cells() {
    return cells;
  }

  /**
   * Issues from {@code issueTime} (lead 1's valid time) with every value of {@code window} before
   * it, or empty (logged) when no artifact can serve that issue time.
   *
   * @param window hour (epoch ms) → station → value
   */
  Optional<Issue> issue(Instant issueTime, Map<Long, Map<String, Double>> window) {
    refreshArtifact(issueTime, window);
    if (pipeline == null) {
      return Optional.empty();
    }
    int index = pipeline.indexOf(issueTime);
    if (index < pipeline.fitEnd()) {
      return Optional.empty(); // inside the training window: nothing to forecast
    }
    if (index > pipeline.lastIssuableIndex()) {
      LOG.warn(
          "No {} forecast at {}: the artifact {} (trained through {}) serves up to {}; a newer"
              + " artifact is needed (terrafield forecast train)",
          variable,
          issueTime,
          artifact.version(),
          artifact.trainedThrough(),
          pipeline.instantOf(pipeline.lastIssuableIndex()));
      return Optional.empty();
    }
    ForecastPipeline p = pipeline;
    copy(window, artifact, issueTime, p.history().length(), p::observe);
    long started = System.nanoTime();
    IssuedForecast stations = pipeline.issue(index);
    long stationsDone = System.nanoTime();
    IssuedForecast cellIssue = cells.isEmpty() ? null : cellForecast(index, stations);
    return Optional.of(
        new Issue(
            stations,
            cellIssue,
            (stationsDone - started) / 1_000_000,
            (System.nanoTime() - stationsDone) / 1_000_000));
  }

  /**
   * A station issue and its grid cells (null without cells), with the milliseconds each took (the
   * stations' include the residual update and the interval calibration).
   */
  record Issue(IssuedForecast stations, IssuedForecast cells, long stationsMs, long cellsMs) {}

  private IssuedForecast cellForecast(int index, IssuedForecast stations) {
    double[] lons = cells.stream().mapToDouble(ForecastGrid.Cell::lon).toArray();
    double[] lats = cells.stream().mapToDouble(ForecastGrid.Cell::lat).toArray();
    int[] leads = new int[options.horizons()];
    for (int h = 0; h < leads.length; h++) {
      leads[h] = h + 1;
    }
    double[][][] q = pipeline.updatedFieldQuantiles(lons, lats, index, leads, null);
    List<IssuedForecast.Target> targets = new ArrayList<>();
    for (int c = 0; c < cells.size(); c++) {
      List<IssuedForecast.Lead> out = new ArrayList<>();
      for (int h = 0; h < leads.length; h++) {
        out.add(pipeline.summarise(h + 1, pipeline.instantOf(index + h), q[h][c]));
      }
      ForecastGrid.Cell cell = cells.get(c);
      targets.add(new IssuedForecast.Target(cell.id(), cell.lon(), cell.lat(), out));
    }
    return new IssuedForecast(
        stations.variable(),
        stations.issueTime(),
        stations.issuedAt(),
        stations.modelVersion(),
        stations.threshold(),
        targets);
  }

  private void refreshArtifact(Instant issueTime, Map<Long, Map<String, Double>> window) {
    Optional<ModelArtifact> newest =
        directory.newest(variable, problem -> refuseOnce(problem, problem));
    if (newest.isEmpty()) {
      if (artifact == null) {
        refuseOnce(
            "none:" + variable,
            "No "
                + variable
                + " model artifact in "
                + directory.variableDir(variable)
                + " yet; no forecast is issued until one is trained");
      }
      return;
    }
    ModelArtifact candidate = newest.get();
    if (artifact != null && candidate.version().equals(artifact.version())) {
      return;
    }
    if (refused.contains(candidate.version())) {
      return;
    }
    if (!issueTime.isAfter(candidate.trainedThrough())) {
      return; // it cannot serve this hour; once the watermark is past its window, it is complete
    }
    if (!candidate.config().equals(options.field())) {
      refuseOnce(
          candidate.version(),
          "Model artifact "
              + candidate.field()
              + " has another feature config ("
              + candidate.config()
              + ", the job needs "
              + options.field()
              + "); "
              + (artifact == null ? "nothing serves" : artifact.version() + " keeps serving"));
      return;
    }
    try {
      ForecastPipeline fresh = prepare(candidate, window, issueTime);
      ForecastPipeline old = pipeline;
      pipeline = fresh;
      artifact = candidate;
      ForecastDomain domain = fresh.domain();
      cells = domainCells(domain);
      if (old != null) {
        old.close();
      }
      LOG.info(
          "Serving {} with model artifact {} (trained through {}, {} stations, {} cells)",
          variable,
          candidate.version(),
          candidate.trainedThrough(),
          candidate.stations().size(),
          cells.size());
    } catch (RuntimeException e) {
      refuseOnce(
          candidate.version(),
          "Model artifact "
              + candidate.field()
              + " is unusable ("
              + e.getMessage()
              + "); "
              + (artifact == null ? "nothing serves" : artifact.version() + " keeps serving"));
    }
  }

  private List<ForecastGrid.Cell> domainCells(ForecastDomain domain) {
    if (options.cellSizeDeg() <= 0) {
      return List.of();
    }
    double[] box = domain.bbox();
    return new ForecastGrid(options.cellSizeDeg())
        .cellsIn(box[0], box[1], box[2], box[3]).stream()
            .filter(c -> domain.contains(c.lon(), c.lat()))
            .toList();
  }

  private ForecastPipeline prepare(
      ModelArtifact a, Map<Long, Map<String, Double>> window, Instant issueTime) {
    int length = a.historyHours() + options.servingHours() + options.horizons();
    double[][] values = new double[a.stations().size()][length];
    for (double[] row : values) {
      Arrays.fill(row, Double.NaN);
    }
    // The whole training window is history for every issue the artifact serves: the residual
    // update is estimated on it when the pipeline is prepared, whatever hour triggered that.
    Instant firstServed = a.trainedThrough().plusSeconds(3600);
    Instant bound = issueTime.isAfter(firstServed) ? issueTime : firstServed;
    copy(window, a, bound, length, (s, t, y) -> values[s][t] = y);
    SpaceTimeSeries grid =
        new SpaceTimeSeries(
            variable,
            a.stations(),
            LocalDateTime.ofInstant(a.historyStart(), a.zone()),
            Duration.ofHours(1),
            values);
    ForecastPipeline.Settings settings =
        new ForecastPipeline.Settings(
            a.zone(), options.threshold(), options.horizons(), options.domainKm());
    return ForecastPipeline.prepare(
        grid,
        a.historyHours(),
        a.config(),
        a.field(),
        new PrintStream(OutputStream.nullOutputStream()),
        settings,
        a.version(),
        options.clock());
  }

  /** Where a value of the window goes: station row, grid index, value. */
  @FunctionalInterface
  private interface ValueSink {
    void put(int station, int t, double value);
  }

  /** Writes the window's values before {@code issueTime} into a grid of {@code length} hours. */
  private static void copy(
      Map<Long, Map<String, Double>> window,
      ModelArtifact a,
      Instant issueTime,
      int length,
      ValueSink out) {
    List<Station> stations = a.stations();
    long start = a.historyStart().toEpochMilli();
    long end = issueTime.toEpochMilli();
    for (Map.Entry<Long, Map<String, Double>> hour : window.entrySet()) {
      long t = (hour.getKey() - start) / 3_600_000L;
      if (hour.getKey() < start || hour.getKey() >= end || t >= length) {
        continue;
      }
      for (int s = 0; s < stations.size(); s++) {
        Double y = hour.getValue().get(stations.get(s).id());
        if (y != null) {
          out.put(s, (int) t, y);
        }
      }
    }
  }

  private void refuseOnce(String key, String message) {
    if (refused.add(key)) {
      LOG.error(message);
    }
  }

  @Override
  public void close() {
    if (pipeline != null) {
      pipeline.close();
      pipeline = null;
    }
  }
}
