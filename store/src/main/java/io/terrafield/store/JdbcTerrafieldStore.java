package io.terrafield.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The JDBC implementation of {@link TerrafieldStore} for both dialects. Only the upsert statements
 * differ ({@link SqlWriter}); every query is plain SQL plus the {@code &&} bounding-box operator
 * and {@code ST_MakeEnvelope}, which PostGIS and H2GIS share.
 *
 * <p>Each write call runs in one transaction with batched statements. Records are de-duplicated by
 * key within a call (the last one wins) and written in key order, so concurrent writers take row
 * locks in the same order. Transient conflicts (deadlock, serialization failure, H2 lock timeout or
 * the H2 {@code MERGE} insert race) are retried a few times, which is safe because every write is
 * an idempotent upsert. Observation upserts ({@link ObservationWriter}: COPY on PostgreSQL) also
 * maintain the {@code latest_values} summary ({@link LatestValueSummary}) in the same transaction,
 * holding a row lock on each station of the batch.
 */
final class JdbcTerrafieldStore implements TerrafieldStore {

  private static final int BATCH_SIZE = 500;
  private static final int MAX_ATTEMPTS = 6;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {};

  private static final List<String> STATION_COLUMNS =
      List.of("id", "name", "lon", "lat", "altitude_m", "network", "metadata", "geom");
  private static final String STATION_SELECT =
      "SELECT id, name, lon, lat, altitude_m, network, metadata FROM stations";
  private static final List<String> FORECAST_COLUMNS =
      List.of(
          "target_id",
          "lon",
          "lat",
          "geom",
          "variable",
          "model",
          "issue_time",
          "valid_time",
          "horizon_h",
          "mean",
          "q05",
          "q25",
          "q50",
          "q75",
          "q95");
  private static final String FORECAST_SELECT =
      "SELECT target_id, lon, lat, variable, model, issue_time, valid_time, horizon_h, mean, q05,"
          + " q25, q50, q75, q95 FROM forecasts";
  private static final List<String> FEATURE_COLUMNS =
      List.of("scene_id", "target_id", "acquired_at", "feature", "feature_value");
  private static final List<String> ALERT_COLUMNS =
      List.of(
          "id",
          "target_id",
          "variable",
          "valid_time",
          "threshold",
          "probability",
          "issued_at",
          "payload");

  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final String upsertStation;
  private final String upsertForecast;
  private final String upsertFeature;
  private final String upsertAlert;
  private final Set<String> knownStations = ConcurrentHashMap.newKeySet();
  private final ObservationWriter observationWriter;
  private final StationVersions stationVersions;

  JdbcTerrafieldStore(HikariDataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    String metadata = dialect == Dialect.POSTGIS ? "CAST(? AS jsonb)" : "?";
    upsertStation =
        SqlWriter.upsert(
            dialect,
            "stations",
            STATION_COLUMNS,
            List.of("id"),
            Map.of("geom", SqlWriter.POINT, "metadata", metadata));
    upsertForecast =
        SqlWriter.upsert(
            dialect,
            "forecasts",
            FORECAST_COLUMNS,
            List.of("target_id", "variable", "model", "issue_time", "valid_time"),
            Map.of("geom", SqlWriter.POINT));
    upsertFeature =
        SqlWriter.upsert(
            dialect,
            "satellite_features",
            FEATURE_COLUMNS,
            List.of("scene_id", "target_id", "feature"),
            Map.of());
    upsertAlert = SqlWriter.upsert(dialect, "alerts", ALERT_COLUMNS, List.of("id"), Map.of());
    observationWriter = new ObservationWriter(dialect);
    stationVersions =
        new StationVersions(
            upsertStation, metadata, JdbcTerrafieldStore::toJson, JdbcTerrafieldStore::station);
  }

  @Override
  public Dialect dialect() {
    return dialect;
  }

  // ---------------------------------------------------------------- stations and observations

  @Override
  public void upsertStations(Collection<Station> stations) {
    List<Station> rows = dedupe(stations, Station::id, Comparator.naturalOrder());
    write(
        "upsert " + rows.size() + " stations",
        upsertStation,
        rows,
        (ps, s) -> {
          ps.setString(1, s.id());
          ps.setString(2, s.name());
          ps.setDouble(3, s.lon());
          ps.setDouble(4, s.lat());
          setDouble(ps, 5, s.altitudeM());
          ps.setString(6, s.network());
          ps.setString(7, toJson(s.metadata()));
          ps.setDouble(8, s.lon());
          ps.setDouble(9, s.lat());
        });
    rows.forEach(s -> knownStations.add(s.id()));
  }

  @Override
  public List<StationVersion> registerStations(Collection<Station> stations, Instant validFrom) {
    Objects.requireNonNull(validFrom, "validFrom");
    List<Station> rows = dedupe(stations, Station::id, Comparator.naturalOrder());
    List<StationVersion> written =
        inTransaction(
            "register " + rows.size() + " stations",
            connection -> {
              List<StationVersion> out = new ArrayList<>();
              for (Station s : rows) {
                stationVersions.register(connection, s, validFrom).ifPresent(out::add);
              }
              return out;
            });
    rows.forEach(s -> knownStations.add(s.id()));
    return written;
  }

  @Override
  public List<StationVersion> stationVersions(String id) {
    return inTransaction(
        "read the versions of station " + id, c -> stationVersions.versions(c, id));
  }

  @Override
  public int upsertObservations(Collection<Observation> observations) {
    List<Observation> rows =
        dedupe(
            observations,
            o -> new ObservationKey(o.stationId(), o.time()),
            Comparator.comparing(ObservationKey::stationId).thenComparing(ObservationKey::time));
    if (rows.isEmpty()) {
      return 0;
    }
    requireKnownStations(rows);
    return inTransaction(
        "upsert " + rows.size() + " observations",
        connection -> observationWriter.write(connection, rows));
  }

  @Override
  public List<Station> stations() {
    return query(STATION_SELECT + " ORDER BY id", ps -> {}, JdbcTerrafieldStore::station);
  }

  @Override
  public Optional<Station> station(String id) {
    return query(
            STATION_SELECT + " WHERE id = ?",
            ps -> ps.setString(1, id),
            JdbcTerrafieldStore::station)
        .stream()
        .findFirst();
  }

  @Override
  public List<Station> stationsInBox(double minLon, double minLat, double maxLon, double maxLat) {
    requireBox(minLon, minLat, maxLon, maxLat);
    return query(
        STATION_SELECT + " WHERE geom && ST_MakeEnvelope(?, ?, ?, ?, 4326) ORDER BY id",
        ps -> bindBox(ps, 1, minLon, minLat, maxLon, maxLat),
        JdbcTerrafieldStore::station);
  }

  @Override
  public List<Observation> observations(String stationId, Instant from, Instant to) {
    return query(
        "SELECT "
            + String.join(", ", ObservationWriter.COLUMNS)
            + " FROM observations WHERE station_id = ? AND time >= ? AND time < ? ORDER BY time",
        ps -> {
          ps.setString(1, stationId);
          ps.setObject(2, utc(from));
          ps.setObject(3, utc(to));
        },
        ObservationWriter::read);
  }

  @Override
  public List<LatestValue> latestValues(Variable variable) {
    return query(
        "SELECT s.id, s.name, s.lon, s.lat, s.altitude_m, s.network, s.metadata, l.latest_time,"
            + " l.latest_value, l.value_count FROM latest_values l"
            + " JOIN stations s ON s.id = l.station_id WHERE l.variable = ? ORDER BY s.id",
        ps -> ps.setString(1, variable.key()),
        rs ->
            new LatestValue(
                station(rs), variable, rs.getDouble(9), instant(rs, 8), rs.getLong(10)));
  }

  @Override
  public long countObservations() {
    return query("SELECT COUNT(*) FROM observations", ps -> {}, rs -> rs.getLong(1)).get(0);
  }

  @Override
  public long countObservations(String stationId, Instant from, Instant to) {
    return query(
            "SELECT COUNT(*) FROM observations WHERE station_id = ? AND time >= ? AND time < ?",
            ps -> {
              ps.setString(1, stationId);
              ps.setObject(2, utc(from));
              ps.setObject(3, utc(to));
            },
            rs -> rs.getLong(1))
        .get(0);
  }

  // ---------------------------------------------------------------- forecasts

  @Override
  public int upsertForecasts(Collection<ForecastRecord> forecasts) {
    List<ForecastRecord> rows =
        dedupe(
            forecasts,
            f ->
                f.targetId()
                    + '\u0000'
                    + f.variable().key()
                    + '\u0000'
                    + f.model()
                    + '\u0000'
                    + f.issueTime()
                    + '\u0000'
                    + f.validTime(),
            Comparator.naturalOrder());
    return write(
        "upsert " + rows.size() + " forecasts",
        upsertForecast,
        rows,
        (ps, f) -> {
          ps.setString(1, f.targetId());
          ps.setDouble(2, f.lon());
          ps.setDouble(3, f.lat());
          ps.setDouble(4, f.lon());
          ps.setDouble(5, f.lat());
          ps.setString(6, f.variable().key());
          ps.setString(7, f.model());
          ps.setObject(8, utc(f.issueTime()));
          ps.setObject(9, utc(f.validTime()));
          ps.setInt(10, f.horizonH());
          ps.setDouble(11, f.mean());
          ps.setDouble(12, f.q05());
          ps.setDouble(13, f.q25());
          ps.setDouble(14, f.q50());
          ps.setDouble(15, f.q75());
          ps.setDouble(16, f.q95());
        });
  }

  @Override
  public List<ForecastRecord> latestForecasts(String targetId, Variable variable, String model) {
    return query(
        FORECAST_SELECT
            + " WHERE target_id = ? AND variable = ? AND model = ? AND issue_time ="
            + " (SELECT MAX(issue_time) FROM forecasts"
            + " WHERE target_id = ? AND variable = ? AND model = ?) ORDER BY valid_time",
        ps -> {
          for (int offset : new int[] {0, 3}) {
            ps.setString(offset + 1, targetId);
            ps.setString(offset + 2, variable.key());
            ps.setString(offset + 3, model);
          }
        },
        JdbcTerrafieldStore::forecast);
  }

  @Override
  public List<ForecastRecord> forecastsInBox(
      Variable variable,
      String model,
      Instant validTime,
      double minLon,
      double minLat,
      double maxLon,
      double maxLat) {
    requireBox(minLon, minLat, maxLon, maxLat);
    return query(
        FORECAST_SELECT
            + " f WHERE f.variable = ? AND f.model = ? AND f.valid_time = ?"
            + " AND f.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)"
            + " AND f.issue_time = (SELECT MAX(g.issue_time) FROM forecasts g"
            + " WHERE g.target_id = f.target_id AND g.variable = f.variable"
            + " AND g.model = f.model AND g.valid_time = f.valid_time)"
            + " ORDER BY f.target_id",
        ps -> {
          ps.setString(1, variable.key());
          ps.setString(2, model);
          ps.setObject(3, utc(validTime));
          bindBox(ps, 4, minLon, minLat, maxLon, maxLat);
        },
        JdbcTerrafieldStore::forecast);
  }

  // ---------------------------------------------------------------- satellite features

  @Override
  public int upsertSatelliteFeatures(Collection<SatelliteFeature> features) {
    List<SatelliteFeature> rows =
        dedupe(
            features,
            f -> f.sceneId() + '\u0000' + f.targetId() + '\u0000' + f.feature(),
            Comparator.naturalOrder());
    return write(
        "upsert " + rows.size() + " satellite features",
        upsertFeature,
        rows,
        (ps, f) -> {
          ps.setString(1, f.sceneId());
          ps.setString(2, f.targetId());
          ps.setObject(3, utc(f.acquiredAt()));
          ps.setString(4, f.feature());
          ps.setDouble(5, f.value());
        });
  }

  @Override
  public List<SatelliteFeature> satelliteFeatures(String targetId, Instant from, Instant to) {
    return query(
        "SELECT scene_id, target_id, acquired_at, feature, feature_value FROM satellite_features"
            + " WHERE target_id = ? AND acquired_at >= ? AND acquired_at < ?"
            + " ORDER BY acquired_at, scene_id, feature",
        ps -> {
          ps.setString(1, targetId);
          ps.setObject(2, utc(from));
          ps.setObject(3, utc(to));
        },
        rs ->
            new SatelliteFeature(
                rs.getString(1),
                rs.getString(2),
                instant(rs, 3),
                rs.getString(4),
                rs.getDouble(5)));
  }

  // ---------------------------------------------------------------- alerts

  @Override
  public int upsertAlerts(Collection<Alert> alerts) {
    List<Alert> rows = dedupe(alerts, Alert::id, Comparator.naturalOrder());
    return write(
        "upsert " + rows.size() + " alerts",
        upsertAlert,
        rows,
        (ps, a) -> {
          ps.setString(1, a.id());
          ps.setString(2, a.targetId());
          ps.setString(3, a.variable().key());
          ps.setObject(4, utc(a.validTime()));
          ps.setDouble(5, a.threshold());
          ps.setDouble(6, a.probability());
          ps.setObject(7, utc(a.issuedAt()));
          ps.setString(8, a.payload());
        });
  }

  @Override
  public Optional<Alert> alert(String id) {
    return query(
            "SELECT " + String.join(", ", ALERT_COLUMNS) + " FROM alerts WHERE id = ?",
            ps -> ps.setString(1, id),
            JdbcTerrafieldStore::alert)
        .stream()
        .findFirst();
  }

  @Override
  public List<Alert> alertsIssuedSince(Instant since, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    return query(
        "SELECT "
            + String.join(", ", ALERT_COLUMNS)
            + " FROM alerts WHERE issued_at >= ? ORDER BY issued_at, id LIMIT ?",
        ps -> {
          ps.setObject(1, utc(since));
          ps.setInt(2, limit);
        },
        JdbcTerrafieldStore::alert);
  }

  // ---------------------------------------------------------------- effects

  private static final String EFFECT_COLUMNS =
      "id, idempotency_key, status, request, result, error, created_at, started_at, finished_at";

  @Override
  public EffectRecord insertEffect(EffectRecord e) {
    if (e.idempotencyKey() != null) {
      Optional<EffectRecord> existing = effectByIdempotencyKey(e.idempotencyKey());
      if (existing.isPresent()) {
        return existing.get();
      }
    }
    try {
      inTransaction(
          "insert effect " + e.id(),
          connection -> {
            try (PreparedStatement ps =
                connection.prepareStatement(
                    "INSERT INTO effects ("
                        + EFFECT_COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
              ps.setString(1, e.id());
              ps.setString(2, e.idempotencyKey());
              ps.setString(3, e.status());
              ps.setString(4, e.request());
              ps.setString(5, e.result());
              ps.setString(6, e.error());
              ps.setObject(7, utc(e.createdAt()));
              ps.setObject(8, e.startedAt() == null ? null : utc(e.startedAt()));
              ps.setObject(9, e.finishedAt() == null ? null : utc(e.finishedAt()));
              return ps.executeUpdate();
            }
          });
      return e;
    } catch (StoreException conflict) {
      // a concurrent POST with the same idempotency key won the insert
      if (e.idempotencyKey() != null) {
        Optional<EffectRecord> winner = effectByIdempotencyKey(e.idempotencyKey());
        if (winner.isPresent()) {
          return winner.get();
        }
      }
      throw conflict;
    }
  }

  @Override
  public void effectStarted(String id, Instant startedAt) {
    inTransaction(
        "start effect " + id,
        connection -> {
          try (PreparedStatement ps =
              connection.prepareStatement(
                  "UPDATE effects SET status = 'running', started_at = ? WHERE id = ?")) {
            ps.setObject(1, utc(startedAt));
            ps.setString(2, id);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public void effectFinished(
      String id, String status, String result, String error, Instant finishedAt) {
    inTransaction(
        "finish effect " + id,
        connection -> {
          try (PreparedStatement ps =
              connection.prepareStatement(
                  "UPDATE effects SET status = ?, result = ?, error = ?, finished_at = ?"
                      + " WHERE id = ?")) {
            ps.setString(1, status);
            ps.setString(2, result);
            ps.setString(3, error);
            ps.setObject(4, utc(finishedAt));
            ps.setString(5, id);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public Optional<EffectRecord> effect(String id) {
    return query(
            "SELECT " + EFFECT_COLUMNS + " FROM effects WHERE id = ?",
            ps -> ps.setString(1, id),
            JdbcTerrafieldStore::effectRecord)
        .stream()
        .findFirst();
  }

  @Override
  public Optional<EffectRecord> effectByIdempotencyKey(String key) {
    return query(
            "SELECT " + EFFECT_COLUMNS + " FROM effects WHERE idempotency_key = ?",
            ps -> ps.setString(1, key),
            JdbcTerrafieldStore::effectRecord)
        .stream()
        .findFirst();
  }

  @Override
  public List<EffectRecord> effects(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    return query(
        "SELECT " + EFFECT_COLUMNS + " FROM effects ORDER BY created_at DESC, id LIMIT ?",
        ps -> ps.setInt(1, limit),
        JdbcTerrafieldStore::effectRecord);
  }

  private static EffectRecord effectRecord(ResultSet rs) throws SQLException {
    return new EffectRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        instant(rs, 7),
        nullableInstant(rs, 8),
        nullableInstant(rs, 9));
  }

  private static Instant nullableInstant(ResultSet rs, int index) throws SQLException {
    OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  @Override
  public void close() {
    dataSource.close();
  }

  // ---------------------------------------------------------------- machinery

  private record ObservationKey(String stationId, Instant time) {}

  @FunctionalInterface
  private interface Binder<T> {
    void bind(PreparedStatement ps, T row) throws SQLException;
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  @FunctionalInterface
  private interface Parameters {
    void bind(PreparedStatement ps) throws SQLException;
  }

  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** The last record of each key, in key order. */
  private static <T, K> List<T> dedupe(
      Collection<T> records, Function<T, K> key, Comparator<? super K> order) {
    Map<K, T> byKey = new TreeMap<>(order);
    for (T r : records) {
      byKey.put(key.apply(Objects.requireNonNull(r, "record")), r);
    }
    return new ArrayList<>(byKey.values());
  }

  private void requireKnownStations(List<Observation> rows) {
    Set<String> unknown =
        rows.stream()
            .map(Observation::stationId)
            .filter(id -> !knownStations.contains(id))
            .collect(Collectors.toCollection(TreeSet::new));
    if (unknown.isEmpty()) {
      return;
    }
    for (String id : unknown) {
      if (station(id).isEmpty()) {
        Observation first =
            rows.stream().filter(o -> o.stationId().equals(id)).findFirst().orElseThrow();
        throw new UnknownStationException(
            id, "in the observation at " + first.time() + ": upsert the station first");
      }
      knownStations.add(id);
    }
  }

  private <T> int write(String what, String sql, List<T> rows, Binder<T> binder) {
    if (rows.isEmpty()) {
      return 0;
    }
    return inTransaction(
        what,
        connection -> {
          executeBatch(connection, sql, rows, binder);
          return rows.size();
        });
  }

  private static <T> void executeBatch(
      Connection connection, String sql, List<T> rows, Binder<T> binder) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      int pending = 0;
      for (T row : rows) {
        binder.bind(ps, row);
        ps.addBatch();
        if (++pending == BATCH_SIZE) {
          ps.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        ps.executeBatch();
      }
    }
  }

  /** Runs {@code work} in one transaction, retrying transient conflicts. */
  private <T> T inTransaction(String what, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(false);
        try {
          T result = work.run(connection);
          connection.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          connection.rollback();
          throw e;
        }
      } catch (SQLException e) {
        if (attempt < MAX_ATTEMPTS && isTransient(e)) {
          pause(attempt);
          continue;
        }
        if (hasSqlState(e, "23503")) {
          throw new StoreException(
              what
                  + " failed: a record references a station that is not in the store: "
                  + describe(e),
              e);
        }
        throw new StoreException(what + " failed: " + describe(e), e);
      }
    }
  }

  private <T> List<T> query(String sql, Parameters parameters, RowMapper<T> mapper) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement ps = connection.prepareStatement(sql)) {
      parameters.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> result = new ArrayList<>();
        while (rs.next()) {
          result.add(mapper.map(rs));
        }
        return result;
      }
    } catch (SQLException e) {
      throw new StoreException("query failed: " + describe(e) + " [" + sql + "]", e);
    }
  }

  /** Deadlock, serialization failure, lock timeout, or H2's MERGE losing an insert race. */
  private boolean isTransient(SQLException e) {
    return hasSqlState(e, "40001")
        || hasSqlState(e, "40P01")
        || hasSqlState(e, "HYT00")
        || (dialect == Dialect.H2GIS && hasSqlState(e, "23505"));
  }

  private static boolean hasSqlState(SQLException e, String state) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        for (SQLException n = s; n != null; n = n.getNextException()) {
          if (state.equals(n.getSQLState())) {
            return true;
          }
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static String describe(SQLException e) {
    SQLException next = e.getNextException();
    return e.getMessage() + (next == null ? "" : " (" + next.getMessage() + ")");
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(5L * attempt * attempt);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while retrying a write");
    }
  }

  private static void requireBox(double minLon, double minLat, double maxLon, double maxLat) {
    Checks.requireLonLat("box minimum", minLon, minLat);
    Checks.requireLonLat("box maximum", maxLon, maxLat);
    if (minLon > maxLon || minLat > maxLat) {
      throw new IllegalArgumentException(
          "box minimum ("
              + minLon
              + ", "
              + minLat
              + ") must not exceed the maximum ("
              + maxLon
              + ", "
              + maxLat
              + ")");
    }
  }

  private static void bindBox(
      PreparedStatement ps, int first, double minLon, double minLat, double maxLon, double maxLat)
      throws SQLException {
    ps.setDouble(first, minLon);
    ps.setDouble(first + 1, minLat);
    ps.setDouble(first + 2, maxLon);
    ps.setDouble(first + 3, maxLat);
  }

  private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.DOUBLE);
    } else {
      ps.setDouble(index, value);
    }
  }

  private static Double getDouble(ResultSet rs, int index) throws SQLException {
    double v = rs.getDouble(index);
    return rs.wasNull() ? null : v;
  }

  private static OffsetDateTime utc(Instant t) {
    return OffsetDateTime.ofInstant(Objects.requireNonNull(t, "time"), ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, int index) throws SQLException {
    return rs.getObject(index, OffsetDateTime.class).toInstant();
  }

  private static Station station(ResultSet rs) throws SQLException {
    return new Station(
        rs.getString(1),
        rs.getString(2),
        rs.getDouble(3),
        rs.getDouble(4),
        getDouble(rs, 5),
        rs.getString(6),
        fromJson(rs.getString(7)));
  }

  private static ForecastRecord forecast(ResultSet rs) throws SQLException {
    return new ForecastRecord(
        rs.getString(1),
        rs.getDouble(2),
        rs.getDouble(3),
        variable(rs.getString(4)),
        rs.getString(5),
        instant(rs, 6),
        instant(rs, 7),
        rs.getInt(8),
        rs.getDouble(9),
        rs.getDouble(10),
        rs.getDouble(11),
        rs.getDouble(12),
        rs.getDouble(13),
        rs.getDouble(14));
  }

  private static Alert alert(ResultSet rs) throws SQLException {
    return new Alert(
        rs.getString(1),
        rs.getString(2),
        variable(rs.getString(3)),
        instant(rs, 4),
        rs.getDouble(5),
        rs.getDouble(6),
        instant(rs, 7),
        rs.getString(8));
  }

  private static Variable variable(String key) {
    return Variable.byKey(key)
        .orElseThrow(() -> new StoreException("stored variable key is unknown: '" + key + "'"));
  }

  private static String toJson(Map<String, String> metadata) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(metadata));
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot encode station metadata " + metadata, e);
    }
  }

  private static Map<String, String> fromJson(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new StoreException("stored station metadata is not a JSON object: " + json, e);
    }
  }
}
