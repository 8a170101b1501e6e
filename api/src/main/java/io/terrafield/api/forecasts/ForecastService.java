package io.terrafield.api.forecasts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.api.alerts.AlertBroadcaster;
import io.terrafield.api.runtime.TerrafieldProperties;
import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.Forecaster;
import io.terrafield.forecasting.NeuralField;
import io.terrafield.forecasting.SpaceTimeSeries;
import io.terrafield.ingest.Topics;
import io.terrafield.store.Alert;
import io.terrafield.store.ForecastRecord;
import io.terrafield.store.LatestValue;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Serves forecasts and exceedance alerts from the stored hourly observations.
 *
 * <p>For each configured variable (default PM2.5) it builds an hourly station × time {@link
 * SpaceTimeSeries} from the store (stations with data, the last {@code history-days} days, local
 * time of {@code zone}), fits a small CGLUBNF neural field once at least {@code min-history} of
 * hourly history exists, and refits it every {@code refit-interval} when newer data has arrived;
 * the new field replaces the old one atomically. Every {@code interval} it issues, from the newest
 * stored hour T, quantile forecasts for T + 1 h .. T + 72 h at the field's stations with the
 * streaming residual update ({@link Forecaster#forecastStations}), stores them as {@link
 * ForecastRecord}s (model {@value #MODEL}), publishes them to Kafka {@code aq.forecasts} and raises
 * exceedance alerts.
 *
 * <p><b>Exceedance probability.</b> The predictive distribution of the field is a mixture of
 * Normals on the latent scale z = (log1p(y) − m)/s (Pian et al. 2025, arXiv 2511.02175; Saad et al.
 * 2024, Nat. Commun. 15:7942), mapped back monotonically. Its quantiles are computed on a grid of
 * levels u_i = (i + ½)/40 plus the reported levels, so P(Y > c) = 1 − F(c) is read off by linear
 * interpolation of the quantile function, to a resolution of 1/40; the predictive mean is the
 * mid-point rule E[Y] ≈ (1/40) Σ_i Q(u_i). An alert is raised for a station when P(Y_{T+h} > c) ≥ p
 * for some h in 1..72: one alert per station and issue, for the first such hour (its id is derived
 * from variable, station, issue time and threshold, so re-issuing changes nothing).
 *
 * <p>Work runs on one background thread ("terrafield-forecast"); {@link #runOnce} runs the same
 * step synchronously (tests). Reads ({@link #position}) are thread-safe.
 */
public class ForecastService implements SmartLifecycle {

  /** The model name of the stored forecasts. */
  public static final String MODEL = "cglubnf";

  /** Horizons 1..72 h. */
  public static final int HORIZONS = 72;

  /** The reported quantile levels: 95 % and 90 % bounds, quartiles and the median. */
  static final double[] REPORTED = {0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975};

  static final String ALERT_TYPE = "io.terrafield.alert.exceedance";

  private static final int GRID = 40;

  /**
   * All fits run on this one JVM-wide thread. PyTorch's gradient mode is thread-local and DJL's
   * engine switches it off only on the thread that initialised the engine, so {@link
   * NeuralField#fit}'s in-place optimiser step fails ("a leaf Variable that requires grad is being
   * used in an in-place operation") on any other thread — seen when a second application context in
   * the same JVM fitted on its own thread. One thread also serialises fits JVM-wide.
   */
  private static final ExecutorService FIT_THREAD =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "terrafield-fit");
            t.setDaemon(true);
            return t;
          });

  private static final Logger LOG = LoggerFactory.getLogger(ForecastService.class);

  private final TerrafieldStore store;
  private final TerrafieldProperties.Forecast settings;
  private final Clock clock;
  private final Supplier<String> bootstrapServers;
  private final AlertBroadcaster broadcaster;
  private final ObjectMapper json = new ObjectMapper();
  private final List<Variable> variables;
  private final ZoneOffset zone;
  private final QuantileGrid grid = new QuantileGrid(GRID, REPORTED);
  private final double[] levels = grid.levels();
  private final Map<Variable, AtomicReference<Issue>> issues = new EnumMap<>(Variable.class);
  private final Map<Variable, Model> models = new ConcurrentHashMap<>();
  private final Map<Variable, String> reasons = new ConcurrentHashMap<>();
  private final Map<Variable, IntervalCalibration> calibrations = new EnumMap<>(Variable.class);
  private final Object work = new Object();
  private volatile Instant firstIssuedAt;
  private volatile Instant startedAt;
  private volatile boolean running;
  private volatile boolean stopping;
  private ScheduledExecutorService scheduler;
  private Producer<String, String> producer;

  /**
   * @param bootstrapServers where Kafka is, asked at the first publication; {@code null} or blank:
   *     no Kafka (forecasts and alerts go to the store and the SSE stream only)
   */
  public ForecastService(
      TerrafieldStore store,
      TerrafieldProperties.Forecast settings,
      Clock clock,
      Supplier<String> bootstrapServers,
      AlertBroadcaster broadcaster) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.bootstrapServers = bootstrapServers;
    this.broadcaster = broadcaster;
    this.zone = settings.zoneOffset();
    List<Variable> vs = new ArrayList<>();
    for (String key : settings.variables()) {
      vs.add(
          Variable.byKey(key)
              .filter(Variable::isPollutant)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "terrafield.forecast.variables: '" + key + "' is not a pollutant key")));
    }
    this.variables = List.copyOf(vs);
    for (Variable v : variables) {
      issues.put(v, new AtomicReference<>());
      calibrations.put(v, new IntervalCalibration(settings.calibrationWindow()));
      reasons.put(
          v,
          settings.enabled()
              ? "waiting for the first run"
              : "forecasting is disabled (terrafield.forecast.enabled=false)");
    }
  }

  /** The forecast variables. */
  public List<Variable> variables() {
    return variables;
  }

  /** When the first forecast was issued (clock time), if any. */
  public Optional<Instant> firstIssuedAt() {
    return Optional.ofNullable(firstIssuedAt);
  }

  /**
   * One step for every variable, synchronously: fit (or refit) when due, then issue forecasts and
   * alerts from the newest stored hour unless that hour and the field were already used. Failures
   * and missing history become the "not ready" reason; nothing is thrown.
   */
  public void runOnce() {
    synchronized (work) {
      for (Variable v : variables) {
        if (stopping) {
          return;
        }
        try {
          step(v);
        } catch (ForecastNotReadyException e) {
          reasons.put(v, e.getMessage().substring("forecast not ready: ".length()));
        } catch (RuntimeException e) {
          LOG.warn("Forecast of {} failed: {}", v.key(), e.toString(), e);
          reasons.put(v, "the last run failed: " + e.getMessage());
        }
      }
    }
  }

  private void step(Variable v) {
    History history = history(v);
    calibrations.get(v).verify(history.newest, history::valueAt);
    Model model = models.get(v);
    Instant now = clock.instant();
    boolean due =
        model == null
            || (history.newest.isAfter(model.trainedThrough)
                && (Duration.between(model.fittedAt, now).compareTo(settings.refitInterval()) >= 0
                    || Duration.between(model.trainedThrough, history.newest)
                            .compareTo(settings.refitAfterData())
                        >= 0));
    if (due) {
      if (model == null) {
        reasons.put(v, "fitting the first field on " + history.describe());
      }
      model = fit(v, history);
      if (stopping) {
        model.close();
        return;
      }
    }
    Issue last = issues.get(v).get();
    if (last != null && last.model == model && last.newest.equals(history.newest)) {
      return;
    }
    Issue issue = issue(v, model, history);
    issues.get(v).set(issue);
    Model old = models.put(v, model);
    if (old != null && old != model) {
      old.close();
    }
    reasons.remove(v);
    publish(issue);
  }

  /** The stored hourly history of one variable over the last {@code history-days} days. */
  private History history(Variable v) {
    List<LatestValue> latest = store.latestValues(v);
    if (latest.isEmpty()) {
      throw new ForecastNotReadyException("no " + v.key() + " observations are stored yet");
    }
    Instant newest =
        latest.stream()
            .map(LatestValue::time)
            .max(Comparator.naturalOrder())
            .orElseThrow()
            .truncatedTo(ChronoUnit.HOURS);
    Instant from = newest.minus(Duration.ofDays(settings.historyDays())).plus(Duration.ofHours(1));
    int length = settings.historyDays() * 24;
    Map<String, double[]> values = new HashMap<>();
    List<Station> stations = new ArrayList<>();
    Instant earliest = newest;
    for (LatestValue lv : latest) {
      double[] row = new double[length];
      Arrays.fill(row, Double.NaN);
      int count = 0;
      for (Observation o : store.observations(lv.station().id(), from, newest.plusSeconds(1))) {
        Double y = o.value(v);
        int t = (int) Duration.between(from, o.time().truncatedTo(ChronoUnit.HOURS)).toHours();
        if (y != null && t >= 0 && t < length) {
          row[t] = y;
          count++;
          if (o.time().isBefore(earliest)) {
            earliest = o.time();
          }
        }
      }
      if (count > 0) {
        values.put(lv.station().id(), row);
        stations.add(lv.station());
      }
    }
    stations.sort(Comparator.comparing(Station::id));
    History history = new History(v, from, newest, length, stations, values);
    Duration span = Duration.between(earliest, newest).plusHours(1);
    if (span.compareTo(settings.minHistory()) < 0) {
      throw new ForecastNotReadyException(
          String.format(
              "%s has %.1f days of hourly history up to %s, %.1f days are needed before the first"
                  + " fit (terrafield.forecast.min-history)",
              v.key(),
              span.toMinutes() / 1440.0,
              newest,
              settings.minHistory().toMinutes() / 1440.0));
    }
    return history;
  }

  private Model fit(Variable v, History history) {
    List<Station> stations = history.stations;
    SpaceTimeSeries series = history.series(stations, 0, zone);
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
    long t0 = System.nanoTime();
    NeuralField field = onFitThread(series, config);
    double seconds = (System.nanoTime() - t0) / 1e9;
    LOG.info(
        "Fitted the {} field ({} members, width {}, {} epochs) on {} in {} s, final loss {}",
        v.key(),
        settings.members(),
        settings.width(),
        settings.epochs(),
        history.describe(),
        String.format("%.1f", seconds),
        String.format("%.3f", field.lastLoss()));
    return new Model(field, stations, clock.instant(), history.newest);
  }

  private static NeuralField onFitThread(SpaceTimeSeries series, FieldConfig config) {
    Future<NeuralField> fit =
        FIT_THREAD.submit(
            () ->
                NeuralField.fit(
                    series,
                    series.length(),
                    config,
                    new PrintStream(
                        OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8)));
    try {
      return fit.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the field was fitted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("the fit failed: " + e.getCause(), e.getCause());
    }
  }

  private Issue issue(Variable v, Model model, History history) {
    int observed = history.length;
    int[] horizons = new int[HORIZONS];
    for (int h = 0; h < HORIZONS; h++) {
      horizons[h] = h + 1;
    }
    SpaceTimeSeries series = history.series(model.stations, HORIZONS, zone);
    Forecaster forecaster;
    double[][][] q;
    synchronized (model) {
      forecaster = Forecaster.create(model.field, series, 0, observed, true);
      q = forecaster.forecastStations(series, observed, horizons, levels);
    }
    Instant issueTime = history.newest.plus(Duration.ofHours(1));
    Instant issuedAt = clock.instant();
    List<ForecastRecord> records = new ArrayList<>();
    List<Alert> alerts = new ArrayList<>();
    List<String> alertEvents = new ArrayList<>();
    Map<String, double[][]> byStation = new LinkedHashMap<>();
    IntervalCalibration calibration = calibrations.get(v);
    double[] factors = new double[HORIZONS];
    for (int h = 0; h < HORIZONS; h++) {
      factors[h] = calibration.factor(h + 1);
    }
    for (int s = 0; s < model.stations.size(); s++) {
      Station station = model.stations.get(s);
      double[][] rows = new double[REPORTED.length + 2][HORIZONS];
      int firstExceeding = -1;
      int peak = 0;
      int exceedingHours = 0;
      for (int h = 0; h < HORIZONS; h++) {
        double[] raw = QuantileGrid.monotone(q[h][s]);
        double[] r0 = grid.reported(raw);
        calibration.issued(
            station.id(),
            issueTime.plus(Duration.ofHours(h)),
            h + 1,
            r0[0],
            r0[1],
            r0[3],
            r0[5],
            r0[6],
            factors[h]);
        double[] quantiles =
            factors[h] == 1.0 ? raw : IntervalCalibration.stretch(raw, r0[3], factors[h]);
        double mean = grid.mean(quantiles);
        double[] r = grid.reported(quantiles);
        for (int k = 0; k < REPORTED.length; k++) {
          rows[k][h] = r[k];
        }
        double exceedance = grid.exceedance(quantiles, settings.threshold());
        rows[REPORTED.length][h] = mean;
        rows[REPORTED.length + 1][h] = exceedance;
        records.add(
            new ForecastRecord(
                station.id(),
                station.lon(),
                station.lat(),
                v,
                MODEL,
                issueTime,
                issueTime.plus(Duration.ofHours(h)),
                h + 1,
                mean,
                r[1],
                r[2],
                r[3],
                r[4],
                r[5]));
        if (exceedance >= settings.probability()) {
          exceedingHours++;
          if (firstExceeding < 0) {
            firstExceeding = h;
          }
        }
        if (exceedance > rows[REPORTED.length + 1][peak]) {
          peak = h;
        }
      }
      byStation.put(station.id(), rows);
      if (firstExceeding >= 0) {
        Alert alert =
            alert(v, station, issueTime, issuedAt, rows, firstExceeding, peak, exceedingHours);
        alerts.add(alert);
        alertEvents.add(alert.payload());
      }
    }
    store.upsertForecasts(records);
    if (!alerts.isEmpty()) {
      store.upsertAlerts(alerts);
    }
    if (firstIssuedAt == null) {
      firstIssuedAt = issuedAt;
      LOG.info(
          "First {} forecast issued at {} for {} stations (data up to {}), {} after start",
          v.key(),
          issuedAt,
          model.stations.size(),
          history.newest,
          startedAt == null ? "?" : Duration.between(startedAt, issuedAt));
    }
    return new Issue(
        v,
        model,
        forecaster,
        issueTime,
        history.newest,
        issuedAt,
        byStation,
        alerts,
        records,
        factors);
  }

  private Alert alert(
      Variable v,
      Station station,
      Instant issueTime,
      Instant issuedAt,
      double[][] series,
      int first,
      int peak,
      int exceedingHours) {
    String id =
        UUID.nameUUIDFromBytes(
                (v.key() + "|" + station.id() + "|" + issueTime + "|" + settings.threshold())
                    .getBytes(StandardCharsets.UTF_8))
            .toString();
    int exceedanceRow = REPORTED.length + 1;
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("station", station.id());
    data.put("lon", station.lon());
    data.put("lat", station.lat());
    data.put("variable", v.key());
    data.put("unit", v.unit());
    data.put("threshold", settings.threshold());
    data.put("probability", round(series[exceedanceRow][first]));
    data.put("min_probability", settings.probability());
    data.put("valid_time", issueTime.plus(Duration.ofHours(first)).toString());
    data.put("horizon_h", first + 1);
    data.put("median", round(series[3][first]));
    data.put("q95", round(series[5][first]));
    data.put("peak_probability", round(series[exceedanceRow][peak]));
    data.put("peak_time", issueTime.plus(Duration.ofHours(peak)).toString());
    data.put("exceeding_hours", exceedingHours);
    data.put("issue_time", issueTime.toString());
    data.put("model", MODEL);
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("specversion", "1.0");
    event.put("id", id);
    event.put("source", "/terrafield/forecasts/" + v.key());
    event.put("type", ALERT_TYPE);
    event.put("time", issuedAt.toString());
    event.put("subject", station.id());
    event.put("datacontenttype", "application/json");
    event.put("data", data);
    return new Alert(
        id,
        station.id(),
        v,
        issueTime.plus(Duration.ofHours(first)),
        settings.threshold(),
        series[exceedanceRow][first],
        issuedAt,
        write(event));
  }

  /** Kafka messages (when a bootstrap is configured) and SSE events of a new issue. */
  private void publish(Issue issue) {
    for (Alert alert : issue.alerts) {
      broadcaster.publish(alert.id(), alert.payload());
    }
    Producer<String, String> kafka = producer();
    if (kafka == null) {
      return;
    }
    Map<String, List<ForecastRecord>> perStation = new LinkedHashMap<>();
    for (ForecastRecord r : issue.records) {
      perStation.computeIfAbsent(r.targetId(), k -> new ArrayList<>()).add(r);
    }
    perStation.forEach(
        (station, records) ->
            kafka.send(
                new ProducerRecord<>(
                    Topics.FORECASTS, station, forecastMessage(issue, station, records))));
    for (Alert alert : issue.alerts) {
      kafka.send(new ProducerRecord<>(Topics.ALERTS, alert.targetId(), alert.payload()));
    }
    kafka.flush();
  }

  private String forecastMessage(Issue issue, String station, List<ForecastRecord> records) {
    double[][] series = issue.byStation.get(station);
    ForecastRecord first = records.get(0);
    List<Map<String, Object>> steps = new ArrayList<>();
    for (int h = 0; h < records.size(); h++) {
      ForecastRecord r = records.get(h);
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("valid_time", r.validTime().toString());
      step.put("horizon_h", r.horizonH());
      step.put("mean", round(r.mean()));
      for (int k = 0; k < REPORTED.length; k++) {
        step.put(quantileName(REPORTED[k]), round(series[k][h]));
      }
      step.put("p_exceed", round(series[REPORTED.length + 1][h]));
      steps.add(step);
    }
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("station", station);
    message.put("lon", first.lon());
    message.put("lat", first.lat());
    message.put("variable", issue.variable.key());
    message.put("unit", issue.variable.unit());
    message.put("model", MODEL);
    message.put("issue_time", issue.issueTime.toString());
    message.put("issued_at", issue.issuedAt.toString());
    message.put("threshold", settings.threshold());
    message.put("forecasts", steps);
    return write(message);
  }

  /** {@code q025}, {@code q05}, {@code q50}, {@code q975} for levels 0.025, 0.05, 0.5, 0.975. */
  static String quantileName(double level) {
    String digits = String.valueOf(Math.round(level * 1000));
    while (digits.length() < 3) {
      digits = "0" + digits;
    }
    return "q" + (digits.endsWith("0") ? digits.substring(0, 2) : digits);
  }

  private synchronized Producer<String, String> producer() {
    if (producer == null) {
      String servers = bootstrapServers.get();
      if (servers == null || servers.isBlank()) {
        return null;
      }
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
      p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
      p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000);
      p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20000);
      p.put(ProducerConfig.CLIENT_ID_CONFIG, "terrafield-forecasts");
      producer = new KafkaProducer<>(p);
    }
    return producer;
  }

  /**
   * The forecast at a point for the newest issue: the stored station forecast (with the residual
   * update) when a fitted station lies within {@code nearest-km}, else a field-only forecast at the
   * point.
   *
   * @throws ForecastNotReadyException when there is no issue yet, with the reason
   */
  public PositionForecast position(Variable v, double lon, double lat) {
    Issue issue = requireIssue(v);
    Station nearest = null;
    double distance = Double.POSITIVE_INFINITY;
    for (Station s : issue.model.stations) {
      double d =
          new io.terrafield.forecasting.Station(s.id(), s.lon(), s.lat()).distanceKm(lon, lat);
      if (d < distance) {
        distance = d;
        nearest = s;
      }
    }
    List<Instant> times = new ArrayList<>();
    for (int h = 0; h < HORIZONS; h++) {
      times.add(issue.issueTime.plus(Duration.ofHours(h)));
    }
    Map<String, double[]> bands = new LinkedHashMap<>();
    if (nearest != null && distance <= settings.nearestKm()) {
      List<ForecastRecord> stored = store.latestForecasts(nearest.id(), v, MODEL);
      double[][] mine = issue.byStation.get(nearest.id());
      boolean sameIssue =
          stored.size() == HORIZONS && stored.get(0).issueTime().equals(issue.issueTime);
      if (!sameIssue) {
        // A newer issue is being written; the in-memory one is what was stored for this issue.
        stored = issue.recordsOf(nearest.id());
      }
      bands.put("q025", mine[0].clone());
      bands.put("q05", stored.stream().mapToDouble(ForecastRecord::q05).toArray());
      bands.put("q25", stored.stream().mapToDouble(ForecastRecord::q25).toArray());
      bands.put("q50", stored.stream().mapToDouble(ForecastRecord::q50).toArray());
      bands.put("q75", stored.stream().mapToDouble(ForecastRecord::q75).toArray());
      bands.put("q95", stored.stream().mapToDouble(ForecastRecord::q95).toArray());
      bands.put("q975", mine[6].clone());
      bands.put("mean", stored.stream().mapToDouble(ForecastRecord::mean).toArray());
      bands.put("p_exceed", mine[REPORTED.length + 1].clone());
      return new PositionForecast(
          v, lon, lat, nearest.id(), distance, issue.issueTime, times, bands, settings.threshold());
    }
    int[] horizons = new int[HORIZONS];
    for (int h = 0; h < HORIZONS; h++) {
      horizons[h] = h + 1;
    }
    double[][][] q = pointQuantiles(issue, new double[] {lon}, new double[] {lat}, horizons);
    double[][] rows = new double[REPORTED.length + 2][HORIZONS];
    for (int h = 0; h < HORIZONS; h++) {
      double[] raw = QuantileGrid.monotone(q[h][0]);
      double[] quantiles =
          IntervalCalibration.stretch(raw, grid.reported(raw)[3], issue.factors[h]);
      double[] r = grid.reported(quantiles);
      for (int k = 0; k < REPORTED.length; k++) {
        rows[k][h] = r[k];
      }
      rows[REPORTED.length][h] = grid.mean(quantiles);
      rows[REPORTED.length + 1][h] = grid.exceedance(quantiles, settings.threshold());
    }
    for (int k = 0; k < REPORTED.length; k++) {
      bands.put(quantileName(REPORTED[k]), rows[k]);
    }
    bands.put("mean", rows[REPORTED.length]);
    bands.put("p_exceed", rows[REPORTED.length + 1]);
    return new PositionForecast(
        v, lon, lat, null, distance, issue.issueTime, times, bands, settings.threshold());
  }

  /**
   * Field-only forecasts on a lon × lat grid for the valid times of the newest issue in [from, to]
   * (inclusive; hourly, horizons 1..72), with the online interval calibration: per valid time and
   * cell the quantiles {@code q05}, {@code q50}, {@code q95}, the {@code mean} and {@code
   * p_exceed}, as {@code values[name][t][y][x]}.
   *
   * @throws ForecastNotReadyException when there is no issue yet
   * @throws IllegalArgumentException naming {@code datetime} when no valid time of the issue lies
   *     in [from, to]
   */
  public GridForecast grid(Variable v, double[] lons, double[] lats, Instant from, Instant to) {
    Issue issue = requireIssue(v);
    List<Integer> hs = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    for (int h = 0; h < HORIZONS; h++) {
      Instant t = issue.issueTime.plus(Duration.ofHours(h));
      if (!t.isBefore(from) && !t.isAfter(to)) {
        hs.add(h + 1);
        times.add(t);
      }
    }
    if (hs.isEmpty()) {
      throw new IllegalArgumentException(
          "datetime: no forecast hour in "
              + from
              + (from.equals(to) ? "" : "/" + to)
              + "; the newest issue covers "
              + issue.issueTime
              + "/"
              + issue.issueTime.plus(Duration.ofHours(HORIZONS - 1)));
    }
    int[] horizons = hs.stream().mapToInt(Integer::intValue).toArray();
    int nx = lons.length;
    int ny = lats.length;
    double[] px = new double[nx * ny];
    double[] py = new double[nx * ny];
    for (int y = 0; y < ny; y++) {
      for (int x = 0; x < nx; x++) {
        px[y * nx + x] = lons[x];
        py[y * nx + x] = lats[y];
      }
    }
    double[][][] q = pointQuantiles(issue, px, py, horizons);
    String[] names = {"mean", "q05", "q50", "q95", "p_exceed"};
    double[][][][] values = new double[names.length][horizons.length][ny][nx];
    for (int t = 0; t < horizons.length; t++) {
      double factor = issue.factors[horizons[t] - 1];
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          double[] raw = QuantileGrid.monotone(q[t][y * nx + x]);
          double[] quantiles = IntervalCalibration.stretch(raw, grid.reported(raw)[3], factor);
          double[] r = grid.reported(quantiles);
          values[0][t][y][x] = grid.mean(quantiles);
          values[1][t][y][x] = r[1];
          values[2][t][y][x] = r[3];
          values[3][t][y][x] = r[5];
          values[4][t][y][x] = grid.exceedance(quantiles, settings.threshold());
        }
      }
    }
    Map<String, double[][][]> byName = new LinkedHashMap<>();
    for (int k = 0; k < names.length; k++) {
      byName.put(names[k], values[k]);
    }
    return new GridForecast(
        v, lons.clone(), lats.clone(), issue.issueTime, times, byName, settings.threshold());
  }

  /**
   * Field-only quantiles [horizon][point][level] of the issue's field (not during a refit swap).
   */
  private double[][][] pointQuantiles(Issue issue, double[] lons, double[] lats, int[] horizons) {
    synchronized (issue.model) {
      if (issue.model.closed) {
        throw new ForecastNotReadyException("the field is being replaced by a refit; retry");
      }
      return issue.forecaster.forecastPoints(
          lons, lats, LocalDateTime.ofInstant(issue.issueTime, zone), horizons, levels);
    }
  }

  private Issue requireIssue(Variable v) {
    AtomicReference<Issue> ref = issues.get(v);
    if (ref == null) {
      throw new ForecastNotReadyException(
          v.key()
              + " is not forecast (terrafield.forecast.variables="
              + variables.stream().map(Variable::key).toList()
              + ")");
    }
    Issue issue = ref.get();
    if (issue == null) {
      throw new ForecastNotReadyException(reasons.getOrDefault(v, "no forecast issued yet"));
    }
    return issue;
  }

  /**
   * The online interval calibration of a variable (see {@link IntervalCalibration}): per horizon
   * band the verified forecasts of the window, their raw and served coverage and the factor applied
   * to new issues.
   */
  public List<IntervalCalibration.Band> calibration(Variable v) {
    IntervalCalibration c = calibrations.get(v);
    return c == null ? List.of() : c.bands();
  }

  /** Why the variable has no forecast yet, if it has none. */
  public Optional<String> notReadyReason(Variable v) {
    return issues.containsKey(v) && issues.get(v).get() != null
        ? Optional.empty()
        : Optional.of(reasons.getOrDefault(v, v.key() + " is not forecast"));
  }

  private static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write JSON: " + e.getMessage(), e);
    }
  }

  @Override
  public void start() {
    startedAt = clock.instant();
    stopping = false;
    running = true;
    if (!settings.enabled()) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "terrafield-forecast");
              t.setDaemon(true);
              return t;
            });
    scheduler.scheduleWithFixedDelay(
        this::runOnce, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    LOG.info(
        "Forecasting {} every {} (first fit after {} of hourly history; refit after {} of clock"
            + " time or {} of new data)",
        variables.stream().map(Variable::key).toList(),
        settings.interval(),
        settings.minHistory(),
        settings.refitInterval(),
        settings.refitAfterData());
  }

  @Override
  public void stop() {
    running = false;
    stopping = true;
    if (scheduler != null) {
      // No interrupt: a running fit (seconds) completes, so no DJL training outlives the service.
      scheduler.shutdown();
      try {
        scheduler.awaitTermination(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      scheduler = null;
    }
    synchronized (this) {
      if (producer != null) {
        producer.close(Duration.ofSeconds(5));
        producer = null;
      }
    }
    synchronized (work) {
      models.values().forEach(Model::close);
      models.clear();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    // After the streaming runtime (its Kafka broker) starts, stopped before it.
    return Integer.MAX_VALUE - 1536;
  }

  /** A fitted field and the stations it was fitted on. Guarded by its own monitor. */
  private static final class Model {
    final NeuralField field;
    final List<Station> stations;
    final Instant fittedAt;
    final Instant trainedThrough;
    boolean closed;

    Model(NeuralField field, List<Station> stations, Instant fittedAt, Instant trainedThrough) {
      this.field = field;
      this.stations = List.copyOf(stations);
      this.fittedAt = fittedAt;
      this.trainedThrough = trainedThrough;
    }

    synchronized void close() {
      if (!closed) {
        closed = true;
        field.close();
      }
    }
  }

  /** One issue: per station rows of {@link #REPORTED} quantiles, mean, P(exceed) per horizon. */
  private record Issue(
      Variable variable,
      Model model,
      Forecaster forecaster,
      Instant issueTime,
      Instant newest,
      Instant issuedAt,
      Map<String, double[][]> byStation,
      List<Alert> alerts,
      List<ForecastRecord> records,
      double[] factors) {

    List<ForecastRecord> recordsOf(String station) {
      return records.stream().filter(r -> r.targetId().equals(station)).toList();
    }
  }

  /** Hourly values per station id over [from, newest]. */
  private record History(
      Variable variable,
      Instant from,
      Instant newest,
      int length,
      List<Station> stations,
      Map<String, double[]> values) {

    /** The series for these stations (NaN where absent) with {@code extra} empty future steps. */
    SpaceTimeSeries series(List<Station> order, int extra, ZoneOffset zone) {
      double[][] grid = new double[order.size()][length + extra];
      List<io.terrafield.forecasting.Station> points = new ArrayList<>();
      for (int s = 0; s < order.size(); s++) {
        Station st = order.get(s);
        points.add(new io.terrafield.forecasting.Station(st.id(), st.lon(), st.lat()));
        Arrays.fill(grid[s], Double.NaN);
        double[] row = values.get(st.id());
        if (row != null) {
          System.arraycopy(row, 0, grid[s], 0, length);
        }
      }
      return new SpaceTimeSeries(
          variable.key(), points, LocalDateTime.ofInstant(from, zone), Duration.ofHours(1), grid);
    }

    /** The stored value of a station at an hour, null when absent or outside the history. */
    Double valueAt(String station, Instant time) {
      double[] row = values.get(station);
      long t = Duration.between(from, time).toHours();
      if (row == null || t < 0 || t >= length || Double.isNaN(row[(int) t])) {
        return null;
      }
      return row[(int) t];
    }

    String describe() {
      long observed =
          values.values().stream()
              .flatMapToDouble(Arrays::stream)
              .filter(y -> !Double.isNaN(y))
              .count();
      return stations.size()
          + " stations × "
          + length
          + " h up to "
          + newest
          + " ("
          + observed
          + " observed values)";
    }
  }
}
