package io.terrafield.api.runtime;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the runtime ({@code terrafield.*} in application.yml, a {@code --config} file or
 * {@code --terrafield.x=y} arguments).
 *
 * @param mode {@code embedded}: in-process Kafka broker, Flink MiniCluster and H2GIS store; {@code
 *     external}: the Kafka, store and Flink given below
 * @param data the folder laid out like shared/data (its {@code airquality/beijing} is replayed)
 * @param kafka where Kafka is (ignored in embedded mode)
 * @param store the JDBC URL and credentials of the store
 * @param flink where the jobs run
 * @param replay whether and how fast to replay the real Beijing data into Kafka, and from when
 * @param history how much of the data before the replay start is bulk-imported at start-up
 * @param forecast the forecast and exceedance-alert service
 */
@ConfigurationProperties("terrafield")
public record TerrafieldProperties(
    String mode,
    Path data,
    Kafka kafka,
    Store store,
    Flink flink,
    Replay replay,
    History history,
    Forecast forecast) {

  public TerrafieldProperties {
    mode = mode == null ? "embedded" : mode;
    if (!mode.equals("embedded") && !mode.equals("external")) {
      throw new IllegalArgumentException(
          "terrafield.mode: '" + mode + "' is not one of embedded, external");
    }
    kafka = kafka == null ? new Kafka(null, 3) : kafka;
    store = store == null ? new Store(null, "", "") : store;
    flink = flink == null ? new Flink("local", 2, Duration.ofSeconds(5)) : flink;
    replay = replay == null ? new Replay(true, 3600, null, null) : replay;
    history = history == null ? new History(null, null) : history;
    forecast =
        forecast == null
            ? new Forecast(
                null, null, null, null, null, 0, 0, 0, 0, 0, 0, null, null, null, null, null, null,
                null, null, null, null, null, null)
            : forecast;
  }

  public boolean embedded() {
    return mode.equals("embedded");
  }

  /**
   * @param bootstrapServers e.g. {@code kafka:9092}; @param partitions of topics we create
   */
  public record Kafka(String bootstrapServers, int partitions) {}

  /**
   * @param url JDBC URL; {@code jdbc:h2:mem:terrafield} by default in embedded mode
   */
  public record Store(String url, String user, String password) {}

  /**
   * @param target {@code local} (a MiniCluster in this JVM) or {@code none} (the jobs run on a
   *     Flink cluster, e.g. deployed by the Flink Kubernetes Operator from the Helm chart)
   * @param parallelism parallelism of the local jobs
   * @param checkpointInterval how often the local jobs checkpoint
   */
  public record Flink(String target, int parallelism, Duration checkpointInterval) {}

  /**
   * @param enabled replay the Beijing data at startup (and import the history before it)
   * @param speedup data time per wall time (3600: one hour of data per second)
   * @param from first local date-time replayed: {@value #AUTO} (the default) for the local midnight
   *     60 days before the end of the data (2016-01-01T00:00 for the Beijing data), {@value #START}
   *     for the data's first hour, or an ISO local date-time such as {@code 2016-01-01T00:00}
   * @param to local date-time to stop before, or the end
   */
  public record Replay(boolean enabled, double speedup, String from, String to) {

    /** {@code from}: the local midnight {@link #AUTO_DAYS} days before the end of the data. */
    public static final String AUTO = "auto";

    /** {@code from}: the data's first hour. */
    public static final String START = "start";

    /** How many days before the end of the data an {@link #AUTO} replay starts. */
    public static final int AUTO_DAYS = 60;

    public Replay {
      from = from == null || from.isBlank() ? AUTO : from.trim();
      to = to == null || to.isBlank() ? null : to.trim();
      if (!(speedup > 0) || !Double.isFinite(speedup)) {
        throw new IllegalArgumentException(
            "terrafield.replay.speedup: must be a positive number, was " + speedup);
      }
      LocalDateTime start =
          from.equals(AUTO) || from.equals(START) ? null : localDateTime("from", from, true);
      LocalDateTime end = to == null ? null : localDateTime("to", to, false);
      if (start != null && end != null && !end.isAfter(start)) {
        throw new IllegalArgumentException(
            "terrafield.replay.to: '"
                + to
                + "' must be after terrafield.replay.from '"
                + from
                + "'");
      }
    }

    private static LocalDateTime localDateTime(String field, String text, boolean keywords) {
      try {
        return LocalDateTime.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "terrafield.replay."
                + field
                + ": '"
                + text
                + "' is not "
                + (keywords ? AUTO + ", " + START + " or " : "")
                + "a local date-time like 2016-01-01T00:00");
      }
    }
  }

  /**
   * The history a deployment starts with: at start-up, before the replay starts, the observations
   * of the {@code days} before {@code replay.from} are bulk-imported into the store (skipped when
   * the store already holds them).
   *
   * @param days days of history before the replay start (default {@value #DEFAULT_DAYS}; 0: no
   *     import; clipped to the start of the data)
   * @param batchSize observations per upsert transaction (default {@value #DEFAULT_BATCH_SIZE})
   */
  public record History(Integer days, Integer batchSize) {

    public static final int DEFAULT_DAYS = 365;
    public static final int DEFAULT_BATCH_SIZE = 5000;

    public History {
      days = days == null ? DEFAULT_DAYS : days;
      batchSize = batchSize == null ? DEFAULT_BATCH_SIZE : batchSize;
      if (days < 0) {
        throw new IllegalArgumentException(
            "terrafield.history.days: must be >= 0 (0: no history import), was " + days);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException(
            "terrafield.history.batch-size: must be >= 1, was " + batchSize);
      }
    }
  }

  /**
   * The forecast service ({@code terrafield.forecast.*}); zero or absent means the default.
   *
   * @param enabled fit and issue forecasts on a schedule; when false the forecast endpoints answer
   *     503
   * @param variables collections to forecast (default {@code [pm25]}); one field each
   * @param interval how often the newest stored observations are read and, when a new hour has
   *     arrived, a forecast is issued (default 250 ms)
   * @param refitAfterData a new field is fitted in the background on the newest history once the
   *     data has moved this far past the training window (the refit cadence, data time; default 30
   *     days)
   * @param minHistory hourly history needed before a field is fitted and served (default 360 days)
   * @param historyDays days of hourly history the field is fitted on (default 365)
   * @param servingDays days of data a prepared field serves beyond its training window before it is
   *     prepared again (default 30; refits normally come sooner)
   * @param members ensemble members (default 8, the evaluated size)
   * @param width hidden width (default 256)
   * @param epochs passes over the training values (default 12)
   * @param batchSize rows per optimiser step (default 4096)
   * @param threshold exceedance threshold in the variable's unit (default 75 µg/m³, China's 24-h
   *     PM2.5 limit)
   * @param probability alert when P(value > threshold) ≥ this (default 0.5)
   * @param nearestKm a position query within this distance of a station answers with the station
   *     forecast, else with a field-only forecast at the point (default 10 km)
   * @param domainKm forecasts are served within this distance of the nearest station (default 0:
   *     twice the network's largest nearest-neighbour distance, at least 10 km)
   * @param zone the data's local time zone offset, which the field's daily and weekly cycles follow
   *     (default +08:00, Beijing)
   * @param modelDir where fitted fields are kept as versioned artifacts and reused on restart
   *     (default {@code ~/.terrafield/models})
   * @param holdReplay the embedded replay waits, after the history import, until the first model
   *     artifact is published (or the trainer knows it will not train one from the history);
   *     default true
   * @param engine who produces forecasts and alerts: only {@code job} (the default: the Flink
   *     forecast job, on the local MiniCluster in the embedded runtime, fed by a training thread
   *     that writes artifacts into {@code model-dir}; the api serves the stored issues). The former
   *     in-process {@code service} engine is removed
   * @param scheme the air-quality category scheme of forecasts and alerts ({@code us-epa-aqi},
   *     {@code eu-eea-aqi}, {@code cn-hj-633}; default us-epa-aqi)
   * @param cellSize the grid-cell size of the job's cell forecasts, degrees (default 0.05; 0: none)
   * @param quietIssue the embedded forecast job issues the newest hour once no hourly record has
   *     arrived for this long (wall time), instead of waiting for the next hour's records (default
   *     1 s; 0: only when the watermark passes the hour)
   * @param maxIssueLag the embedded replay sends a reading of data hour H only once the newest
   *     stored issue time is at least H + 1 h − this, i.e. once sending it keeps the issue lag
   *     (newest hour + 1 h − issue time) within this (default 1 h; needs {@code quiet-issue} > 0,
   *     else at least 2 h, since the job then issues an hour only when the next one arrives)
   */
  public record Forecast(
      Boolean enabled,
      List<String> variables,
      Duration interval,
      Duration refitAfterData,
      Duration minHistory,
      int historyDays,
      int servingDays,
      int members,
      int width,
      int epochs,
      int batchSize,
      Double threshold,
      Double probability,
      Double nearestKm,
      Double domainKm,
      String zone,
      String modelDir,
      Boolean holdReplay,
      String engine,
      String scheme,
      Double cellSize,
      Duration quietIssue,
      Duration maxIssueLag) {

    public Forecast {
      enabled = enabled == null || enabled;
      variables = variables == null || variables.isEmpty() ? List.of("pm25") : variables;
      interval = interval == null ? Duration.ofMillis(250) : interval;
      refitAfterData = refitAfterData == null ? Duration.ofDays(30) : refitAfterData;
      minHistory = minHistory == null ? Duration.ofDays(360) : minHistory;
      historyDays = historyDays == 0 ? 365 : historyDays;
      servingDays = servingDays == 0 ? 60 : servingDays;
      members = members == 0 ? 8 : members;
      width = width == 0 ? 256 : width;
      epochs = epochs == 0 ? 12 : epochs;
      batchSize = batchSize == 0 ? 4096 : batchSize;
      threshold = threshold == null ? 75.0 : threshold;
      probability = probability == null ? 0.5 : probability;
      nearestKm = nearestKm == null ? 10.0 : nearestKm;
      domainKm = domainKm == null ? 0.0 : domainKm;
      zone = zone == null || zone.isBlank() ? "+08:00" : zone;
      holdReplay = holdReplay == null || holdReplay;
      engine = engine == null || engine.isBlank() ? "job" : engine;
      if (!engine.equals("job")) {
        throw new IllegalArgumentException(
            "terrafield.forecast.engine: '"
                + engine
                + "' is not supported; the only engine is job (the Flink forecast job), the"
                + " in-process service engine was removed");
      }
      scheme = scheme == null || scheme.isBlank() ? "us-epa-aqi" : scheme;
      io.terrafield.forecasting.categories.CategoryScheme.parse(scheme);
      cellSize = cellSize == null ? 0.05 : cellSize;
      quietIssue = quietIssue == null ? Duration.ofSeconds(1) : quietIssue;
      maxIssueLag = maxIssueLag == null ? Duration.ofHours(1) : maxIssueLag;
      if (quietIssue.isNegative()) {
        throw new IllegalArgumentException(
            "terrafield.forecast.quiet-issue: must be >= 0, was " + quietIssue);
      }
      if (maxIssueLag.compareTo(Duration.ofHours(1)) < 0) {
        throw new IllegalArgumentException(
            "terrafield.forecast.max-issue-lag: must be at least 1 h, was " + maxIssueLag);
      }
      if (!(cellSize >= 0 && cellSize <= 10)) {
        throw new IllegalArgumentException(
            "terrafield.forecast.cell-size: must be in [0, 10] degrees, was " + cellSize);
      }
      modelDir =
          modelDir == null || modelDir.isBlank()
              ? System.getProperty("user.home") + "/.terrafield/models"
              : modelDir;
      requirePositive("interval", interval);
      requirePositive("refit-after-data", refitAfterData);
      requirePositive("min-history", minHistory);
      if (historyDays < 1
          || servingDays < 1
          || members < 1
          || width < 1
          || epochs < 1
          || batchSize < 1) {
        throw new IllegalArgumentException(
            "terrafield.forecast: history-days, serving-days, members, width, epochs and"
                + " batch-size must be >= 1, were "
                + List.of(historyDays, servingDays, members, width, epochs, batchSize));
      }
      if (Duration.ofDays(historyDays).compareTo(minHistory) < 0) {
        throw new IllegalArgumentException(
            "terrafield.forecast.history-days: "
                + historyDays
                + " days is shorter than min-history "
                + minHistory);
      }
      if (!(probability > 0 && probability <= 1)) {
        throw new IllegalArgumentException(
            "terrafield.forecast.probability: must be in (0, 1], was " + probability);
      }
      if (!Double.isFinite(threshold) || !(nearestKm > 0)) {
        throw new IllegalArgumentException(
            "terrafield.forecast: threshold must be finite and nearest-km > 0, were "
                + threshold
                + " and "
                + nearestKm);
      }
      if (!(domainKm >= 0) || Double.isInfinite(domainKm)) {
        throw new IllegalArgumentException(
            "terrafield.forecast.domain-km: must be a finite number >= 0, was " + domainKm);
      }
      try {
        ZoneOffset.of(zone);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException(
            "terrafield.forecast.zone: '" + zone + "' is not a zone offset like +08:00", e);
      }
    }

    private static void requirePositive(String field, Duration d) {
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(
            "terrafield.forecast." + field + ": must be positive, was " + d);
      }
    }

    /** The field configuration of this deployment (training and the forecast job). */
    public io.terrafield.forecasting.FieldConfig fieldConfig() {
      return new io.terrafield.forecasting.FieldConfig(
          true, true, members, width, 2, 5, epochs, batchSize, 0.005, 8, 16, 42);
    }

    /** The data's local zone offset. */
    public ZoneOffset zoneOffset() {
      return ZoneOffset.of(zone);
    }
  }
}
