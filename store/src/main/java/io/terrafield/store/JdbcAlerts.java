package io.terrafield.store;

import io.terrafield.store.TerrafieldStore.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code alerts} table of {@link JdbcTerrafieldStore} (migrations V1, V4). Thread-safe. */
final class JdbcAlerts {

  private static final List<String> COLUMNS =
      List.of(
          "id",
          "episode_id",
          "state",
          "target_id",
          "variable",
          "valid_time",
          "threshold",
          "probability",
          "issued_at",
          "category_scheme",
          "category",
          "payload");
  private static final String SELECT = "SELECT " + String.join(", ", COLUMNS) + " FROM alerts";

  private final JdbcTerrafieldStore jdbc;
  private final String upsert;

  JdbcAlerts(JdbcTerrafieldStore jdbc, Dialect dialect) {
    this.jdbc = jdbc;
    upsert = SqlWriter.upsert(dialect, "alerts", COLUMNS, List.of("id"), Map.of());
  }

  int upsertAlerts(Collection<Alert> alerts) {
    List<Alert> rows = JdbcTerrafieldStore.dedupe(alerts, Alert::id, Comparator.naturalOrder());
    return jdbc.write(
        "upsert " + rows.size() + " alerts",
        upsert,
        rows,
        (ps, a) -> {
          ps.setString(1, a.id());
          ps.setString(2, a.episodeId());
          ps.setString(3, a.state().name());
          ps.setString(4, a.targetId());
          ps.setString(5, a.variable().key());
          ps.setObject(6, JdbcTerrafieldStore.utc(a.validTime()));
          ps.setDouble(7, a.threshold());
          ps.setDouble(8, a.probability());
          ps.setObject(9, JdbcTerrafieldStore.utc(a.issuedAt()));
          ps.setString(10, a.categoryScheme());
          ps.setString(11, a.category());
          ps.setString(12, a.payload());
        });
  }

  Optional<Alert> alert(String id) {
    return jdbc.query(SELECT + " WHERE id = ?", ps -> ps.setString(1, id), JdbcAlerts::row).stream()
        .findFirst();
  }

  List<Alert> alertsIssuedSince(Instant since, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    return jdbc.query(
        SELECT + " WHERE issued_at >= ? ORDER BY issued_at, id LIMIT ?",
        ps -> {
          ps.setObject(1, JdbcTerrafieldStore.utc(since));
          ps.setInt(2, limit);
        },
        JdbcAlerts::row);
  }

  List<Alert> episode(String episodeId) {
    return jdbc.query(
        SELECT + " WHERE episode_id = ? ORDER BY issued_at, id",
        ps -> ps.setString(1, episodeId),
        JdbcAlerts::row);
  }

  List<Alert> openEpisodes() {
    return jdbc.query(
        SELECT
            + " a WHERE a.issued_at = (SELECT MAX(b.issued_at) FROM alerts b"
            + " WHERE b.episode_id = a.episode_id) AND a.state <> 'CLEARED'"
            + " AND NOT EXISTS (SELECT 1 FROM alerts c WHERE c.episode_id = a.episode_id"
            + " AND c.state = 'CLEARED') ORDER BY a.target_id, a.variable, a.id",
        ps -> {},
        JdbcAlerts::row);
  }

  private static Alert row(ResultSet rs) throws SQLException {
    return new Alert(
        rs.getString(1),
        rs.getString(2),
        AlertState.valueOf(rs.getString(3)),
        rs.getString(4),
        JdbcTerrafieldStore.variable(rs.getString(5)),
        JdbcTerrafieldStore.instant(rs, 6),
        rs.getDouble(7),
        rs.getDouble(8),
        JdbcTerrafieldStore.instant(rs, 9),
        rs.getString(10),
        rs.getString(11),
        rs.getString(12));
  }
}
