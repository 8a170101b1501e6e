package io.terrafield.store;

import io.terrafield.store.TerrafieldStore.Dialect;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.postgresql.PGConnection;

/**
 * The observation write path of {@link JdbcTerrafieldStore}: one call writes one batch (unique
 * keys, sorted by station and time) inside the caller's transaction, keeping {@code latest_values}
 * exact.
 *
 * <p>Steps: lock the batch's stations ({@code SELECT ... FOR UPDATE}, in id order, so writers of
 * one station take turns and the summary stays exact); read the rows the batch replaces; write the
 * rows; apply the batch to the summary ({@link LatestValueSummary}). The write is dialect-specific:
 *
 * <ul>
 *   <li>PostgreSQL: the rows are streamed with {@code COPY ... FROM STDIN} into a session-local
 *       staging table ({@code ON COMMIT DELETE ROWS}), the replaced rows are read with one join,
 *       and one {@code INSERT ... SELECT ... ON CONFLICT DO UPDATE} moves them into {@code
 *       observations} — one round trip for the data instead of one statement per row.
 *   <li>H2 (embedded, no network): rows known to be new get a batched plain {@code INSERT} and rows
 *       that exist a batched {@code UPDATE}; the station lock makes that knowledge safe, and a
 *       {@code MERGE} would first look every new row up again.
 * </ul>
 *
 * Stateless apart from the statements it built; thread-safe.
 */
final class ObservationWriter {

  static final List<String> COLUMNS =
      Stream.of(
              Stream.of("station_id", "time"),
              Stream.of(Variable.values()).map(Variable::key),
              Stream.of("wind_direction", "sample_count"))
          .flatMap(Function.identity())
          .toList();

  private static final int JDBC_BATCH = 1000;
  private static final int LOCK_CHUNK = 500;
  private static final Variable[] VARIABLES = Variable.values();
  private static final String STAGE = "observations_stage";

  private final Dialect dialect;
  private final LatestValueSummary summary;
  private final String insert;
  private final String update;
  private final String mergeFromStage;

  ObservationWriter(Dialect dialect) {
    this.dialect = dialect;
    this.summary = new LatestValueSummary(dialect);
    String columns = String.join(", ", COLUMNS);
    insert =
        "INSERT INTO observations ("
            + columns
            + ") VALUES ("
            + String.join(", ", Collections.nCopies(COLUMNS.size(), "?"))
            + ")";
    update =
        "UPDATE observations SET "
            + COLUMNS.stream().skip(2).map(c -> c + " = ?").collect(Collectors.joining(", "))
            + " WHERE station_id = ? AND time = ?";
    mergeFromStage =
        "INSERT INTO observations ("
            + columns
            + ") SELECT "
            + columns
            + " FROM "
            + STAGE
            + " ON CONFLICT (station_id, time) DO UPDATE SET "
            + COLUMNS.stream()
                .skip(2)
                .map(c -> c + " = EXCLUDED." + c)
                .collect(Collectors.joining(", "));
  }

  /** Writes {@code rows} (unique keys, sorted by station then time); returns how many. */
  int write(Connection connection, List<Observation> rows) throws SQLException {
    Map<String, List<Observation>> byStation = new TreeMap<>();
    rows.forEach(o -> byStation.computeIfAbsent(o.stationId(), id -> new ArrayList<>()).add(o));
    lockStations(connection, new ArrayList<>(byStation.keySet()));
    Map<String, Map<Instant, Observation>> replaced;
    if (dialect == Dialect.POSTGIS) {
      stage(connection, rows);
      replaced = replacedRowsFromStage(connection);
      try (Statement s = connection.createStatement()) {
        s.executeUpdate(mergeFromStage);
      }
    } else {
      replaced = new HashMap<>();
      for (Map.Entry<String, List<Observation>> e : byStation.entrySet()) {
        replaced.put(e.getKey(), replacedRows(connection, e.getKey(), e.getValue()));
      }
      insertAndUpdate(connection, rows, replaced);
    }
    for (Map.Entry<String, List<Observation>> e : byStation.entrySet()) {
      summary.apply(
          connection, e.getKey(), e.getValue(), replaced.getOrDefault(e.getKey(), Map.of()));
    }
    return rows.size();
  }

  /** Locks the stations in id order; an id without a row is an unknown station. */
  private static void lockStations(Connection connection, List<String> ids) throws SQLException {
    for (int from = 0; from < ids.size(); from += LOCK_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + LOCK_CHUNK));
      String sql =
          "SELECT id FROM stations WHERE id IN ("
              + String.join(", ", Collections.nCopies(chunk.size(), "?"))
              + ") ORDER BY id FOR UPDATE";
      int found = 0;
      try (PreparedStatement ps = connection.prepareStatement(sql)) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
        }
        List<String> locked = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            locked.add(rs.getString(1));
            found++;
          }
        }
        if (found < chunk.size()) {
          String missing =
              chunk.stream().filter(id -> !locked.contains(id)).findFirst().orElse("?");
          throw new UnknownStationException(missing, "(it disappeared while writing)");
        }
      }
    }
  }

  /** The stored rows that {@code batch} (one station, sorted by time) will replace, by time. */
  private static Map<Instant, Observation> replacedRows(
      Connection connection, String stationId, List<Observation> batch) throws SQLException {
    Map<Instant, Observation> wanted = new HashMap<>();
    batch.forEach(o -> wanted.put(o.time(), o));
    Map<Instant, Observation> existing = new HashMap<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT "
                + String.join(", ", COLUMNS)
                + " FROM observations WHERE station_id = ? AND time >= ? AND time <= ?")) {
      ps.setString(1, stationId);
      ps.setObject(2, utc(batch.get(0).time()));
      ps.setObject(3, utc(batch.get(batch.size() - 1).time()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Observation o = read(rs);
          if (wanted.containsKey(o.time())) {
            existing.put(o.time(), o);
          }
        }
      }
    }
    return existing;
  }

  private void insertAndUpdate(
      Connection connection,
      List<Observation> rows,
      Map<String, Map<Instant, Observation>> replaced)
      throws SQLException {
    try (PreparedStatement ins = connection.prepareStatement(insert);
        PreparedStatement upd = connection.prepareStatement(update)) {
      int pendingInserts = 0;
      int pendingUpdates = 0;
      for (Observation o : rows) {
        if (replaced.get(o.stationId()).containsKey(o.time())) {
          int i = bindValues(upd, 1, o);
          upd.setString(i++, o.stationId());
          upd.setObject(i, utc(o.time()));
          upd.addBatch();
          if (++pendingUpdates == JDBC_BATCH) {
            upd.executeBatch();
            pendingUpdates = 0;
          }
        } else {
          ins.setString(1, o.stationId());
          ins.setObject(2, utc(o.time()));
          bindValues(ins, 3, o);
          ins.addBatch();
          if (++pendingInserts == JDBC_BATCH) {
            ins.executeBatch();
            pendingInserts = 0;
          }
        }
      }
      if (pendingInserts > 0) {
        ins.executeBatch();
      }
      if (pendingUpdates > 0) {
        upd.executeBatch();
      }
    }
  }

  /** Binds the values, wind direction and sample count from {@code first}; returns the next. */
  private static int bindValues(PreparedStatement ps, int first, Observation o)
      throws SQLException {
    int i = first;
    for (Variable v : VARIABLES) {
      Double x = o.value(v);
      if (x == null) {
        ps.setNull(i++, Types.DOUBLE);
      } else {
        ps.setDouble(i++, x);
      }
    }
    ps.setString(i++, o.windDirection());
    ps.setInt(i++, o.sampleCount());
    return i;
  }

  // ------------------------------------------------------------------ PostgreSQL: COPY

  /**
   * Copies {@code rows} into the session's staging table, creating it on first use; it empties
   * itself at every commit or rollback.
   */
  private static void stage(Connection connection, List<Observation> rows) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(
          "CREATE TEMP TABLE IF NOT EXISTS "
              + STAGE
              + " (LIKE observations INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
    }
    StringBuilder text = new StringBuilder(rows.size() * 160);
    for (Observation o : rows) {
      copyText(text, o.stationId()).append('\t').append(utc(o.time())).append('\t');
      for (Variable v : VARIABLES) {
        Double x = o.value(v);
        text.append(x == null ? "\\N" : Double.toString(x)).append('\t');
      }
      (o.windDirection() == null ? text.append("\\N") : copyText(text, o.windDirection()))
          .append('\t')
          .append(o.sampleCount())
          .append('\n');
    }
    try {
      connection
          .unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "COPY " + STAGE + " (" + String.join(", ", COLUMNS) + ") FROM STDIN",
              new StringReader(text.toString()));
    } catch (IOException e) {
      throw new SQLException("COPY into " + STAGE + " failed: " + e.getMessage(), e);
    }
  }

  /** Escapes a value for COPY's text format (backslash, tab, newline, carriage return). */
  private static StringBuilder copyText(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
    return out;
  }

  /** The stored rows that the staged rows will replace, by station and time. */
  private static Map<String, Map<Instant, Observation>> replacedRowsFromStage(Connection connection)
      throws SQLException {
    Map<String, Map<Instant, Observation>> replaced = new HashMap<>();
    String columns = COLUMNS.stream().map(c -> "o." + c).collect(Collectors.joining(", "));
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT "
                    + columns
                    + " FROM observations o JOIN "
                    + STAGE
                    + " s ON o.station_id = s.station_id AND o.time = s.time")) {
      while (rs.next()) {
        Observation o = read(rs);
        replaced.computeIfAbsent(o.stationId(), id -> new HashMap<>()).put(o.time(), o);
      }
    }
    return replaced;
  }

  // ------------------------------------------------------------------ rows

  /** An observation from a row of {@link #COLUMNS}. */
  static Observation read(ResultSet rs) throws SQLException {
    Map<Variable, Double> values = new LinkedHashMap<>();
    int i = 3;
    for (Variable v : VARIABLES) {
      double x = rs.getDouble(i++);
      values.put(v, rs.wasNull() ? null : x);
    }
    return new Observation(
        rs.getString(1),
        rs.getObject(2, OffsetDateTime.class).toInstant(),
        values,
        rs.getString(i),
        rs.getInt(i + 1));
  }

  private static OffsetDateTime utc(Instant t) {
    return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }
}
