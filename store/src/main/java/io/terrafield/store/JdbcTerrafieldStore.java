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
  private static final List<String> FEATURE_COLUMNS =
      List.of("scene_id", "target_id", "acquired_at", "feature", "feature_value");
  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final String upsertStation;
  private final String upsertFeature;
  private final JdbcForecasts forecasts;
  private final JdbcAlerts alerts;
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
    upsertFeature =
        SqlWriter.upsert(
            dialect,
            "satellite_features",
            FEATURE_COLUMNS,
            List.of("scene_id", "target_id", "feature"),
            Map.of());
    forecasts = new JdbcForecasts(this, dialect);
    alerts = new JdbcAlerts(this, dialect);
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

  @Override
  public Optional<Instant> firstValueTime(String stationId, Variable variable) {
    // the column is the variable's key (an enum constant, never user text); the primary key
    // (station_id, time) gives the time order
    return query(
            "SELECT time FROM observations WHERE station_id = ? AND "
                + variable.key()
                + " IS NOT NULL ORDER BY time LIMIT 1",
            ps -> ps.setString(1, stationId),
            rs -> instant(rs, 1))
        .stream()
        .findFirst();
  }

  // ---------------------------------------------------------------- forecasts (JdbcForecasts)

  @Override
  public int putIssue(ForecastIssue issue, Collection<ForecastRecord> records) {
    return forecasts.putIssue(issue, records);
  }

  @Override
  public int upsertForecasts(Collection<ForecastRecord> records) {
    return forecasts.upsertForecasts(records);
  }

  @Override
  public Optional<ForecastIssue> newestIssue(Variable variable, String model) {
    return forecasts.newestIssue(variable, model);
  }

  @Override
  public Optional<ForecastIssue> issue(Variable variable, String model, Instant issueTime) {
    return forecasts.issue(variable, model, issueTime);
  }

  @Override
  public List<ForecastIssue> issues(Variable variable, String model, int limit) {
    return forecasts.issues(variable, model, limit);
  }

  @Override
  public List<ForecastRecord> issueForecasts(
      Variable variable, String model, Instant issueTime, TargetKind kind) {
    return forecasts.issueForecasts(variable, model, issueTime, kind);
  }

  @Override
  public List<ForecastRecord> issueForecastsInBox(
      Variable variable,
      String model,
      Instant issueTime,
      TargetKind kind,
      Instant validFrom,
      Instant validTo,
      double minLon,
      double minLat,
      double maxLon,
      double maxLat) {
    return forecasts.issueForecastsInBox(
        variable, model, issueTime, kind, validFrom, validTo, minLon, minLat, maxLon, maxLat);
  }

  @Override
  public List<ForecastRecord> latestForecasts(String targetId, Variable variable, String model) {
    return forecasts.latestForecasts(targetId, variable, model);
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
    return forecasts.forecastsInBox(variable, model, validTime, minLon, minLat, maxLon, maxLat);
  }

  @Override
  public int deleteIssuesBefore(Instant cutoff) {
    return forecasts.deleteIssuesBefore(cutoff);
  }

  @Override
  public int deleteCellForecastsBefore(Variable variable, String model, Instant cutoff) {
    return forecasts.deleteCellForecastsBefore(variable, model, cutoff);
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

  // ---------------------------------------------------------------- alerts (JdbcAlerts)

  @Override
  public int upsertAlerts(Collection<Alert> records) {
    return alerts.upsertAlerts(records);
  }

  @Override
  public Optional<Alert> alert(String id) {
    return alerts.alert(id);
  }

  @Override
  public List<Alert> alertsIssuedSince(Instant since, int limit) {
    return alerts.alertsIssuedSince(since, limit);
  }

  @Override
  public List<Alert> episode(String episodeId) {
    return alerts.episode(episodeId);
  }

  @Override
  public List<Alert> openEpisodes() {
    return alerts.openEpisodes();
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
  interface Binder<T> {
    void bind(PreparedStatement ps, T row) throws SQLException;
  }

  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  @FunctionalInterface
  interface Parameters {
    void bind(PreparedStatement ps) throws SQLException;
  }

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** The last record of each key, in key order. */
  static <T, K> List<T> dedupe(
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

  <T> int write(String what, String sql, List<T> rows, Binder<T> binder) {
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

  static <T> void executeBatch(Connection connection, String sql, List<T> rows, Binder<T> binder)
      throws SQLException {
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
  <T> T inTransaction(String what, Work<T> work) {
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

  <T> List<T> query(String sql, Parameters parameters, RowMapper<T> mapper) {
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

  static void requireBox(double minLon, double minLat, double maxLon, double maxLat) {
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

  static void bindBox(
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

  static OffsetDateTime utc(Instant t) {
    return OffsetDateTime.ofInstant(Objects.requireNonNull(t, "time"), ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, int index) throws SQLException {
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

  static Variable variable(String key) {
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
