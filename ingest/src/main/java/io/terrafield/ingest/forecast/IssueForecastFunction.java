package io.terrafield.ingest.forecast;

import io.terrafield.forecasting.alerts.AlertLifecycle;
import io.terrafield.forecasting.alerts.AlertSignal;
import io.terrafield.forecasting.alerts.AlertSignals;
import io.terrafield.forecasting.alerts.AlertTransition;
import io.terrafield.forecasting.alerts.Episode;
import io.terrafield.forecasting.categories.AirQualityCategories;
import io.terrafield.forecasting.categories.CategoryTable;
import io.terrafield.forecasting.serving.IssuedForecast;
import io.terrafield.forecasting.training.FieldTraining;
import io.terrafield.store.Alert;
import io.terrafield.store.AlertState;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.ForecastRecord;
import io.terrafield.store.TargetKind;
import io.terrafield.store.Variable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forecast job's keyed function (key: variable). It keeps in Flink keyed state, per variable:
 *
 * <ul>
 *   <li>{@code window}: the hourly history, hour → station → value, for the last {@code
 *       windowHours} before the newest issue (pruned at each issue);
 *   <li>{@code lastIssue}: the newest issue time published;
 *   <li>{@code episodes}: the open alert episode of each target (station or cell);
 *   <li>{@code counts}: the input counts since the previous issue.
 * </ul>
 *
 * <p>An event-time timer at each hour H fires once the watermark says every record of H has
 * arrived; it issues leads 1..72 from issue time H + 1 h with the pipeline of the newest model
 * artifact ({@link ForecastIssuer}, rebuilt from {@code window} after a restore), steps the alert
 * lifecycle of every target and emits one {@link PublishedIssue}. With {@code catchUp}, an hour
 * whose next hour is complete too is not issued (a job behind the stream issues only the newest
 * hour).
 *
 * <p><b>Quiet issue</b> ({@code quietIssue} &gt; 0): once no hourly record of a not yet issued hour
 * has arrived for {@code quietIssue} of processing time, the newest hour with records is issued
 * without waiting for the watermark (which passes hour H only when hour H + 1 arrives): a live
 * stream gets the forecast of an hour as soon as that hour's records are in. Its state: {@code
 * newest-hour} and {@code last-arrival}. A record of that hour arriving afterwards is {@code late}.
 *
 * <p><b>Input rule</b> (counted in {@code counts}, logged with each issue): a value of an hour
 * already issued ({@code late}) or of a station the serving artifact does not know ({@code
 * unknown_station}) is kept in the window — it serves later issues, the calibration and the next
 * artifact — but never changes a published issue; a second value of the same station and hour
 * ({@code duplicate}) replaces the first (the sensor job's hourly upsert is the truth); a value
 * older than the window is dropped ({@code too_old}).
 */
final class IssueForecastFunction
    extends KeyedProcessFunction<String, HourlyValue, PublishedIssue> {
  private static final Logger LOG = LoggerFactory.getLogger(IssueForecastFunction.class);
  private static final long HOUR = 3_600_000L;

  private final ForecastJobOptions options;
  private final WindowBootstrap bootstrap;
  private transient MapState<Long, Map<String, Double>> window;
  private transient ValueState<Long> lastIssue;
  private transient ValueState<Boolean> bootstrapped;
  private transient MapState<String, Episode> episodes;
  private transient MapState<String, Long> counts;
  private transient ValueState<Long> newestHour;
  private transient ValueState<Long> lastArrival;
  private transient Map<String, ForecastIssuer> issuers;
  private transient AlertLifecycle lifecycle;

  /**
   * @param bootstrap fills an empty window from the store at the first record of a variable, or
   *     null (start empty)
   */
  IssueForecastFunction(ForecastJobOptions options, WindowBootstrap bootstrap) {
    this.options = options;
    this.bootstrap = bootstrap;
  }

  @Override
  public void open(OpenContext context) {
    window =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "window", Types.LONG, Types.MAP(Types.STRING, Types.DOUBLE)));
    lastIssue = getRuntimeContext().getState(new ValueStateDescriptor<>("last-issue", Types.LONG));
    bootstrapped =
        getRuntimeContext().getState(new ValueStateDescriptor<>("bootstrapped", Types.BOOLEAN));
    episodes =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "episodes", Types.STRING, TypeInformation.of(Episode.class)));
    counts =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("counts", Types.STRING, Types.LONG));
    newestHour =
        getRuntimeContext().getState(new ValueStateDescriptor<>("newest-hour", Types.LONG));
    lastArrival =
        getRuntimeContext().getState(new ValueStateDescriptor<>("last-arrival", Types.LONG));
    issuers = new HashMap<>();
    lifecycle =
        new AlertLifecycle(options.raiseLevel(), options.clearLevel(), options.updateStep());
  }

  @Override
  public void processElement(HourlyValue v, Context ctx, Collector<PublishedIssue> out)
      throws Exception {
    if (bootstrapped.value() == null) {
      bootstrapped.update(true);
      if (bootstrap != null) {
        int n = 0;
        for (HourlyValue old : bootstrap.history(v.variable(), v.hourMillis(), options)) {
          n += put(old) ? 1 : 0;
        }
        LOG.info("Bootstrapped the {} window from the store: {} values", v.variable(), n);
        counts.clear();
      }
    }
    Long issued = lastIssue.value();
    if (issued != null && v.hourMillis() < issued - options.windowHours() * HOUR) {
      count("too_old");
      return;
    }
    if (issued != null && v.hourMillis() < issued) {
      count("late");
    }
    ForecastIssuer issuer = issuers.get(v.variable());
    Set<String> known = issuer == null ? Set.of() : issuer.stationIds();
    if (!known.isEmpty() && !known.contains(v.stationId())) {
      count("unknown_station");
    }
    if (!put(v)) {
      count("duplicate");
    }
    count("accepted");
    if (issued == null || v.hourMillis() >= issued) {
      ctx.timerService().registerEventTimeTimer(v.hourMillis());
      long quiet = options.quietIssue().toMillis();
      if (quiet > 0) {
        long now = ctx.timerService().currentProcessingTime();
        lastArrival.update(now);
        Long newest = newestHour.value();
        if (newest == null || v.hourMillis() > newest) {
          newestHour.update(v.hourMillis());
        }
        // Rounded up to 100 ms, so a burst of records shares its timers.
        ctx.timerService().registerProcessingTimeTimer(((now + quiet) / 100 + 1) * 100);
      }
    }
  }

  /** Puts a value into the window; false when it replaced one of the same station and hour. */
  private boolean put(HourlyValue v) throws Exception {
    Map<String, Double> hour = window.get(v.hourMillis());
    Map<String, Double> copy = hour == null ? new HashMap<>() : new HashMap<>(hour);
    boolean fresh = copy.put(v.stationId(), v.value()) == null;
    window.put(v.hourMillis(), copy);
    return fresh;
  }

  private void count(String what) throws Exception {
    Long n = counts.get(what);
    counts.put(what, n == null ? 1 : n + 1);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<PublishedIssue> out)
      throws Exception {
    String variable = ctx.getCurrentKey();
    if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
      Long arrival = lastArrival.value();
      Long newest = newestHour.value();
      if (arrival == null
          || newest == null
          || timestamp - arrival < options.quietIssue().toMillis()) {
        return; // nothing waiting, or a record came since: a later timer decides
      }
      lastArrival.clear();
      newestHour.clear();
      issueHour(variable, newest, out);
      restartQuietPeriod(ctx);
      return;
    }
    long hour = timestamp;
    Long issued = lastIssue.value();
    if (issued != null && hour + HOUR <= issued) {
      return;
    }
    if (options.catchUp() && ctx.timerService().currentWatermark() >= hour + HOUR) {
      count("skipped_issues");
      return; // the next hour is complete too: its timer issues
    }
    issueHour(variable, hour, out);
    restartQuietPeriod(ctx);
  }

  /**
   * After an issue, which may have taken seconds, a hour still waiting for its quiet issue waits a
   * whole quiet period more: records that queued up meanwhile are processed first, so a quiet issue
   * never takes an hour whose records were only waiting behind the issue.
   */
  private void restartQuietPeriod(OnTimerContext ctx) throws Exception {
    long quiet = options.quietIssue().toMillis();
    if (quiet > 0 && newestHour.value() != null) {
      long now = ctx.timerService().currentProcessingTime();
      lastArrival.update(now);
      ctx.timerService().registerProcessingTimeTimer(((now + quiet) / 100 + 1) * 100);
    }
  }

  /** Issues data hour {@code hour} (issue time hour + 1 h) unless it or a later one was issued. */
  private void issueHour(String variable, long hour, Collector<PublishedIssue> out)
      throws Exception {
    Long issued = lastIssue.value();
    long issueMillis = hour + HOUR;
    if (issued != null && issueMillis <= issued) {
      return;
    }
    Map<Long, Map<String, Double>> values = new TreeMap<>();
    for (Map.Entry<Long, Map<String, Double>> e : window.entries()) {
      values.put(e.getKey(), e.getValue());
    }
    ForecastIssuer issuer = issuers.computeIfAbsent(variable, v -> new ForecastIssuer(v, options));
    long started = System.nanoTime();
    Optional<ForecastIssuer.Issue> issue = issuer.issue(Instant.ofEpochMilli(issueMillis), values);
    if (issue.isEmpty()) {
      return;
    }
    lastIssue.update(issueMillis);
    prune(issueMillis);
    out.collect(publish(variable, issue.get(), (System.nanoTime() - started) / 1_000_000));
  }

  private void prune(long issueMillis) throws Exception {
    long oldest = issueMillis - options.windowHours() * HOUR;
    List<Long> drop = new ArrayList<>();
    for (Long h : window.keys()) {
      if (h < oldest) {
        drop.add(h);
      }
    }
    for (Long h : drop) {
      window.remove(h);
    }
  }

  private PublishedIssue publish(String variable, ForecastIssuer.Issue issue, long computeMs)
      throws Exception {
    Variable v =
        Variable.byKey(variable)
            .orElseThrow(
                () -> new IllegalArgumentException("variable: unknown '" + variable + "'"));
    List<ForecastRecord> records =
        new ArrayList<>(
            ForecastRecords.of(
                v, FieldTraining.MODEL, issue.stations(), TargetKind.STATION, options.scheme()));
    if (issue.cells() != null) {
      records.addAll(
          ForecastRecords.of(
              v, FieldTraining.MODEL, issue.cells(), TargetKind.CELL, options.scheme()));
    }
    ForecastIssue row =
        ForecastRecords.issue(
            v, FieldTraining.MODEL, issue.stations(), issue.cells(), options.cellSizeDeg());
    List<Alert> alerts = new ArrayList<>();
    Map<String, ForecastRecord> byTargetAndTime = new HashMap<>();
    for (ForecastRecord r : records) {
      byTargetAndTime.put(r.targetId() + "|" + r.validTime(), r);
    }
    Optional<CategoryTable> table = AirQualityCategories.table(options.scheme(), variable);
    for (IssuedForecast f : new IssuedForecast[] {issue.stations(), issue.cells()}) {
      if (f == null) {
        continue;
      }
      for (IssuedForecast.Target t : f.targets()) {
        AlertSignal signal =
            AlertSignals.of(
                f.issueTime(),
                t,
                options.alertLeads(),
                median -> table.map(c -> c.classify(median).label()).orElse(null));
        AlertTransition step = lifecycle.next(episodes.get(t.id()), t.id(), variable, signal);
        if (step.episode() == null) {
          episodes.remove(t.id());
        } else {
          episodes.put(t.id(), step.episode());
        }
        if (step.message() != null) {
          ForecastRecord at = byTargetAndTime.get(t.id() + "|" + signal.validTime());
          alerts.add(alert(step.message(), at, v, f.issuedAt()));
        }
      }
    }
    Map<String, Long> inputCounts = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : counts.entries()) {
      inputCounts.put(e.getKey(), e.getValue());
    }
    counts.clear();
    LOG.info(
        "Issued {} at {} with {} in {} ms (stations {} ms, cells {} ms): {} forecasts, {} alert"
            + " messages; input since the previous issue {}",
        variable,
        row.issueTime(),
        row.modelVersion(),
        computeMs,
        issue.stationsMs(),
        issue.cellsMs(),
        records.size(),
        alerts.size(),
        inputCounts);
    return new PublishedIssue(row, records, alerts, inputCounts);
  }

  private static Alert alert(
      AlertTransition.Message m, ForecastRecord at, Variable v, Instant issuedAt) {
    var event = ForecastEvents.alert(m, at, v.unit(), issuedAt);
    return new Alert(
        event.getId(),
        m.episodeId(),
        AlertState.valueOf(m.kind().name()),
        at.targetId(),
        v,
        m.signal().validTime(),
        at.threshold(),
        m.signal().probability(),
        m.signal().issueTime(),
        at.categoryScheme(),
        at.category(),
        new String(ForecastEvents.serialize(event), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    if (issuers != null) {
      issuers.values().forEach(ForecastIssuer::close);
      issuers.clear();
    }
  }
}
