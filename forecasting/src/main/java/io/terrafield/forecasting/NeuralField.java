package io.terrafield.forecasting;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fitted spatiotemporal Bayesian neural field (BayesNF core, optionally with the CGLUBNF graph
 * attention and gated units; see {@link EnsembleNetwork} for the equations).
 *
 * <p>Latent scale: {@code z = (log(1 + max(y, 0)) − m) / s} with m, s the mean and sd of the
 * log-transformed training targets (a variance-stabilising transform for the heavy-tailed pollutant
 * concentrations). Inference: a MAP ensemble, every member trained at once by Adam on the negative
 * log posterior {@code (N/B) Σ_batch NLL + Σ −log prior}, divided by N; missing targets never enter
 * (masked likelihood; batches are padded with mask 0 to a fixed shape).
 *
 * <p>Not thread-safe. Holds native PyTorch memory: close it.
 */
public final class NeuralField implements AutoCloseable {
  /** Version of the saved-model format. */
  public static final int FORMAT_VERSION = 1;

  private static final int MAGIC = 0x54464e46;
  private final FieldConfig config;
  private final FeatureMap features;
  private final StationGraph graph;
  private final double latentMean;
  private final double latentScale;
  private final NDManager manager;
  private final EnsembleNetwork network;
  private double lastLoss = Double.NaN;
  private double rowsPerSecond = Double.NaN;
  private int skippedSteps;

  private NeuralField(
      FieldConfig config,
      FeatureMap features,
      StationGraph graph,
      double latentMean,
      double latentScale) {
    configureEngine();
    this.config = config;
    this.features = features;
    this.graph = graph;
    this.latentMean = latentMean;
    this.latentScale = latentScale;
    this.manager = NDManager.newBaseManager();
    this.network =
        new EnsembleNetwork(
            manager, config, features.groups(), graph.queryDim(), graph.descriptorDim());
  }

  /** Offline PyTorch with two intra-op threads unless the caller has set these properties. */
  static void configureEngine() {
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    System.setProperty(
        "ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "2"));
    System.setProperty(
        "ai.djl.pytorch.num_interop_threads",
        System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
  }

  /** The configuration this field was fitted with. */
  public FieldConfig config() {
    return config;
  }

  /** The stations the field was fitted on (the graph of its attention encoder). */
  public List<Station> stations() {
    return graph.stations;
  }

  /** Final training loss (negative log posterior per observed row). */
  public double lastLoss() {
    return lastLoss;
  }

  /** Adam steps skipped in the last fit because the loss or a gradient was not finite. */
  public int skippedSteps() {
    return skippedSteps;
  }

  /** Training throughput in rows × members per second of the last fit. */
  public double rowsMembersPerSecond() {
    return rowsPerSecond;
  }

  /** Latent value of observation y. */
  public double toLatent(double y) {
    return (Math.log1p(Math.max(0, y)) - latentMean) / latentScale;
  }

  /** Observation scale of latent value z (monotone, so quantiles map to quantiles). */
  public double toObservation(double z) {
    return Math.max(0, Math.expm1(z * latentScale + latentMean));
  }

  /**
   * Fits a field on the observed values of {@code data} with time index below {@code trainEnd},
   * drawing a progress bar (with the loss) on {@code progress}.
   *
   * @param progress where the progress bar goes, usually {@code System.err}
   * @throws ForecastingException when there are no observed training values
   */
  public static NeuralField fit(
      SpaceTimeSeries data, int trainEnd, FieldConfig config, PrintStream progress) {
    try (ProgressBarListener bar = new ProgressBarListener(config, progress)) {
      return fit(data, trainEnd, config, bar);
    }
  }

  /**
   * Fits a field on the observed values of {@code data} with time index below {@code trainEnd},
   * reporting every training step to {@code listener} (on the calling thread).
   *
   * @throws ForecastingException when there are no observed training values
   */
  public static NeuralField fit(
      SpaceTimeSeries data, int trainEnd, FieldConfig config, FitListener listener) {
    java.util.Objects.requireNonNull(listener, "listener");
    int stations = data.stations().size();
    int end = Math.min(trainEnd, data.length());
    List<int[]> rows = new ArrayList<>();
    double sum = 0;
    double sumSquares = 0;
    for (int s = 0; s < stations; s++) {
      for (int t = 0; t < end; t++) {
        double y = data.values()[s][t];
        if (!Double.isNaN(y)) {
          rows.add(new int[] {s, t});
          double z = Math.log1p(Math.max(0, y));
          sum += z;
          sumSquares += z * z;
        }
      }
    }
    if (rows.size() < 10) {
      throw new ForecastingException(
          "data: only "
              + rows.size()
              + " observed values before index "
              + trainEnd
              + " (need at least 10 to fit a field)");
    }
    int n = rows.size();
    double mean = sum / n;
    double scale = Math.sqrt(Math.max(1e-12, sumSquares / n - mean * mean));
    double timeMean = 0;
    for (int[] row : rows) {
      timeMean += data.absoluteSteps(row[1]);
    }
    timeMean /= n;
    double timeVar = 0;
    for (int[] row : rows) {
      double d = data.absoluteSteps(row[1]) - timeMean;
      timeVar += d * d;
    }
    double timeScale = Math.max(1, Math.sqrt(timeVar / n));
    FeatureMap features =
        FeatureMap.forStations(
            data.stations(), data.hourly(), timeMean, timeScale, config.fourierDegrees());
    float[][] stats = new float[stations][2];
    for (int s = 0; s < stations; s++) {
      double sz = 0;
      double szz = 0;
      int count = 0;
      for (int t = 0; t < end; t++) {
        double y = data.values()[s][t];
        if (!Double.isNaN(y)) {
          double z = (Math.log1p(Math.max(0, y)) - mean) / scale;
          sz += z;
          szz += z * z;
          count++;
        }
      }
      stats[s][0] = count == 0 ? 0f : (float) (sz / count);
      stats[s][1] =
          count < 2 ? 1f : (float) Math.sqrt(Math.max(1e-6, szz / count - Math.pow(sz / count, 2)));
    }
    StationGraph graph = new StationGraph(data.stations(), stats, features, config.neighbours());
    NeuralField field = new NeuralField(config, features, graph, mean, scale);
    field.network.initialise(config.seed());
    field.train(data, rows, listener);
    return field;
  }

  private void train(SpaceTimeSeries data, List<int[]> rows, FitListener listener) {
    int n = rows.size();
    int f = features.size();
    float[] allFeatures = new float[n * f];
    float[] targets = new float[n];
    int[] location = new int[n];
    for (int i = 0; i < n; i++) {
      int[] row = rows.get(i);
      Station st = data.stations().get(row[0]);
      features.row(st.lon(), st.lat(), data.absoluteSteps(row[1]), allFeatures, i * f);
      targets[i] = (float) toLatent(data.values()[row[0]][row[1]]);
      location[i] = row[0];
    }
    FieldTrainer.Outcome outcome =
        new FieldTrainer(manager, network, config)
            .train(
                allFeatures, targets, location, graph.stations.size(), stationInputs(), listener);
    lastLoss = outcome.loss();
    rowsPerSecond = outcome.rowsMembersPerSecond();
    skippedSteps = outcome.skippedSteps();
  }

  private StationGraph.Inputs stationInputs() {
    int l = graph.stations.size();
    double[] lon = new double[l];
    double[] lat = new double[l];
    int[] self = new int[l];
    for (int i = 0; i < l; i++) {
      lon[i] = graph.stations.get(i).lon();
      lat[i] = graph.stations.get(i).lat();
      self[i] = i;
    }
    return graph.inputs(lon, lat, self);
  }

  /**
   * Member predictions at the fitted stations for time indices [from, to) of {@code grid} (which
   * must have the same stations). Rows are ordered station-major: {@code s * (to − from) + t}.
   */
  public FieldPrediction predictStations(SpaceTimeSeries grid, int from, int to) {
    if (grid.stations().size() != graph.stations.size()) {
      throw new ForecastingException(
          "grid: expected the "
              + graph.stations.size()
              + " fitted stations, got "
              + grid.stations().size());
    }
    double[] times = new double[to - from];
    for (int t = from; t < to; t++) {
      times[t - from] = grid.absoluteSteps(t);
    }
    double[] lon = new double[graph.stations.size()];
    double[] lat = new double[lon.length];
    int[] self = new int[lon.length];
    for (int s = 0; s < lon.length; s++) {
      lon[s] = graph.stations.get(s).lon();
      lat[s] = graph.stations.get(s).lat();
      self[s] = s;
    }
    return predict(lon, lat, self, times);
  }

  /**
   * Member predictions at arbitrary points (e.g. grid cells) for every absolute time (steps since
   * 1970-01-01 local); rows are point-major: {@code p * times.length + t}. A point attends to its
   * nearest fitted stations.
   */
  public FieldPrediction predictPoints(double[] lon, double[] lat, double[] absoluteSteps) {
    if (lon.length != lat.length) {
      throw new ForecastingException(
          "points: lon has " + lon.length + " values but lat has " + lat.length);
    }
    int[] self = new int[lon.length];
    java.util.Arrays.fill(self, -1);
    return predict(lon, lat, self, absoluteSteps);
  }

  private FieldPrediction predict(double[] lon, double[] lat, int[] self, double[] times) {
    int members = config.members();
    int rowsTotal = lon.length * times.length;
    float[][] mean = new float[members][rowsTotal];
    float[][] sd = new float[members][rowsTotal];
    int f = features.size();
    int locationsPerChunk = Math.max(1, Math.min(lon.length, 8192 / Math.max(1, times.length)));
    int timesPerChunk = Math.min(times.length, 8192);
    for (int p0 = 0; p0 < lon.length; p0 += locationsPerChunk) {
      int p1 = Math.min(lon.length, p0 + locationsPerChunk);
      int l = p1 - p0;
      StationGraph.Inputs graphInputs =
          graph.inputs(
              java.util.Arrays.copyOfRange(lon, p0, p1),
              java.util.Arrays.copyOfRange(lat, p0, p1),
              java.util.Arrays.copyOfRange(self, p0, p1));
      for (int t0 = 0; t0 < times.length; t0 += timesPerChunk) {
        int t1 = Math.min(times.length, t0 + timesPerChunk);
        int b = l * (t1 - t0);
        float[] x = new float[b * f];
        float[] oneHot = new float[config.graphAttention() ? b * l : 0];
        int r = 0;
        for (int p = p0; p < p1; p++) {
          for (int t = t0; t < t1; t++) {
            features.row(lon[p], lat[p], times[t], x, r * f);
            if (oneHot.length > 0) {
              oneHot[r * l + (p - p0)] = 1f;
            }
            r++;
          }
        }
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          NDArray xs = manager.create(x, new Shape(b, f));
          NDArray hot = oneHot.length > 0 ? manager.create(oneHot, new Shape(b, l)) : null;
          NDArray[] out = network.forward(manager, xs, hot, graphInputs);
          float[] meanValues = out[0].toFloatArray();
          float[] sdValues = out[1].toFloatArray();
          for (int m = 0; m < members; m++) {
            r = 0;
            for (int p = p0; p < p1; p++) {
              for (int t = t0; t < t1; t++) {
                int row = p * times.length + t;
                mean[m][row] = meanValues[m * b + r];
                sd[m][row] = sdValues[m * b + r];
                r++;
              }
            }
          }
        }
      }
    }
    return new FieldPrediction(mean, sd);
  }

  /** Saves the fitted field (format {@link #FORMAT_VERSION}, with its feature configuration). */
  public void save(Path file) {
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeUTF(new ObjectMapper().writeValueAsString(config));
      out.writeBoolean(features.periods == FeatureMap.HOURLY_PERIODS);
      for (double v : features.describe()) {
        out.writeDouble(v);
      }
      out.writeDouble(latentMean);
      out.writeDouble(latentScale);
      out.writeInt(graph.stations.size());
      for (int s = 0; s < graph.stations.size(); s++) {
        Station st = graph.stations.get(s);
        out.writeUTF(st.id());
        out.writeDouble(st.lon());
        out.writeDouble(st.lat());
        out.writeFloat(graph.stationStats[s][0]);
        out.writeFloat(graph.stationStats[s][1]);
      }
      out.writeInt(network.parameters.size());
      for (Map.Entry<String, NDArray> entry : network.parameters.entrySet()) {
        out.writeUTF(entry.getKey());
        float[] values = entry.getValue().toFloatArray();
        out.writeInt(values.length);
        for (float v : values) {
          out.writeFloat(v);
        }
      }
    } catch (IOException e) {
      throw new ForecastingException("model file: cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Loads a field saved by {@link #save}; rejects other formats and versions. */
  public static NeuralField load(Path file) {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC) {
        throw new ForecastingException("model file: " + file + " is not a Terrafield neural field");
      }
      int version = in.readInt();
      if (version != FORMAT_VERSION) {
        throw new ForecastingException(
            "model file: "
                + file
                + " has format version "
                + version
                + ", expected "
                + FORMAT_VERSION);
      }
      FieldConfig config = new ObjectMapper().readValue(in.readUTF(), FieldConfig.class);
      boolean hourly = in.readBoolean();
      double[] d = new double[6];
      for (int i = 0; i < d.length; i++) {
        d[i] = in.readDouble();
      }
      FeatureMap features =
          new FeatureMap(
              d[0],
              d[1],
              d[2],
              d[3],
              d[4],
              d[5],
              config.fourierDegrees(),
              hourly ? FeatureMap.HOURLY_PERIODS : FeatureMap.DAILY_PERIODS,
              hourly ? FeatureMap.HOURLY_HARMONICS : FeatureMap.DAILY_HARMONICS);
      double latentMean = in.readDouble();
      double latentScale = in.readDouble();
      int count = in.readInt();
      List<Station> stations = new ArrayList<>();
      float[][] stats = new float[count][2];
      for (int s = 0; s < count; s++) {
        stations.add(new Station(in.readUTF(), in.readDouble(), in.readDouble()));
        stats[s][0] = in.readFloat();
        stats[s][1] = in.readFloat();
      }
      StationGraph graph = new StationGraph(stations, stats, features, config.neighbours());
      NeuralField field = new NeuralField(config, features, graph, latentMean, latentScale);
      int parameters = in.readInt();
      Map<String, float[]> values = new HashMap<>();
      for (int i = 0; i < parameters; i++) {
        String name = in.readUTF();
        float[] v = new float[in.readInt()];
        for (int j = 0; j < v.length; j++) {
          v[j] = in.readFloat();
        }
        values.put(name, v);
      }
      for (String name : field.network.layout().keySet()) {
        float[] v = values.get(name);
        if (v == null) {
          throw new ForecastingException("model file: parameter '" + name + "' is missing");
        }
        field.network.set(name, v);
      }
      return field;
    } catch (IOException e) {
      throw new ForecastingException("model file: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The network (for the benchmark and tests in this package). */
  EnsembleNetwork network() {
    return network;
  }

  StationGraph graph() {
    return graph;
  }

  @Override
  public void close() {
    network.close();
    manager.close();
  }
}
