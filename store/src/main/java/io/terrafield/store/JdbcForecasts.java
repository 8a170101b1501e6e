package io.terrafield.store;

import io.terrafield.store.TerrafieldStore.Dialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The forecast tables of {@link JdbcTerrafieldStore}: {@code forecasts} and {@code forecast_issues}
 * (migration V3), with the publication rule of {@link ForecastStore}. Thread-safe.
 */
final class JdbcForecasts {

  private static final List<String> COLUMNS =
      List.of(
          "target_id",
          "target_kind",
          "lon",
          "lat",
          "geom",
          "variable",
          "model",
          "model_version",
          "issue_time",
          "valid_time",
          "horizon_h",
          "q025",
          "q05",
          "q25",
          "q50",
          "q75",
          "q95",
          "q975",
          "mean",
          "threshold",
          "exceedance_prob",
          "category_scheme",
          "category",
          "interval_factor");
  private static final String SELECT =
      "SELECT "
          + String.join(", ", COLUMNS.stream().filter(c -> !c.equals("geom")).toList())
          + " FROM forecasts";
  private static final List<String> ISSUE_COLUMNS =
      List.of(
          "variable",
          "model",
          "issue_time",
          "model_version",
          "issued_at",
          "station_count",
          "cell_count",
          "cell_size_deg",
          "max_horizon_h");
  private static final String ISSUE_SELECT =
      "SELECT " + String.join(", ", ISSUE_COLUMNS) + " FROM forecast_issues";

  private final JdbcTerrafieldStore jdbc;
  private final String upsert;
  private final String insert;
  private final String upsertIssue;

  JdbcForecasts(JdbcTerrafieldStore jdbc, Dialect dialect) {
    this.jdbc = jdbc;
    Map<String, String> geom = Map.of("geom", SqlWriter.POINT);
    upsert =
        SqlWriter.upsert(
            dialect,
            "forecasts",
            COLUMNS,
            List.of("target_id", "variable", "model", "issue_time", "valid_time"),
            geom);
    insert =
        "INSERT INTO forecasts ("
            + String.join(", ", COLUMNS)
            + ") VALUES ("
            + String.join(", ", COLUMNS.stream().map(c -> geom.getOrDefault(c, "?")).toList())
            + ")";
    upsertIssue =
        SqlWriter.upsert(
            dialect,
            "forecast_issues",
            ISSUE_COLUMNS,
            List.of("variable", "model", "issue_time"),
            Map.of());
  }

  int putIssue(ForecastIssue issue, Collection<ForecastRecord> forecasts) {
    List<ForecastRecord> rows = List.copyOf(forecasts);
    Set<String> keys = new HashSet<>();
    for (ForecastRecord f : rows) {
      if (f.variable() != issue.variable()
          || !f.model().equals(issue.model())
          || !f.issueTime().equals(issue.issueTime())) {
        throw new IllegalArgumentException(
            "forecast for "
                + f.targetId()
                + " ("
                + f.variable().key()
                + ", "
                + f.model()
                + ", issued "
                + f.issueTime()
                + ") does not belong to the issue ("
                + issue.variable().key()
                + ", "
                + issue.model()
                + ", "
                + issue.issueTime()
                + ")");
      }
      if (!keys.add(f.targetId() + '\u0000' + f.validTime())) {
        throw new IllegalArgumentException(
            "forecast for " + f.targetId() + " at " + f.validTime() + " repeats a key");
      }
    }
    return jdbc.inTransaction(
        "publish issue "
            + issue.issueTime()
            + " of "
            + issue.variable().key()
            + " with "
            + rows.size()
            + " forecasts",
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM forecasts WHERE variable = ? AND model = ? AND issue_time = ?")) {
            delete.setString(1, issue.variable().key());
            delete.setString(2, issue.model());
            delete.setObject(3, JdbcTerrafieldStore.utc(issue.issueTime()));
            delete.executeUpdate();
          }
          JdbcTerrafieldStore.executeBatch(connection, insert, rows, JdbcForecasts::bind);
          JdbcTerrafieldStore.executeBatch(
              connection, upsertIssue, List.of(issue), JdbcForecasts::bindIssue);
          return rows.size();
        });
  }

  int upsertForecasts(Collection<ForecastRecord> forecasts) {
    List<ForecastRecord> rows =
        JdbcTerrafieldStore.dedupe(
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
    return jdbc.write("upsert " + rows.size() + " forecasts", upsert, rows, JdbcForecasts::bind);
  }

  Optional<ForecastIssue> newestIssue(Variable variable, String model) {
    return issues(variable, model, 1).stream().findFirst();
  }

  Optional<ForecastIssue> issue(Variable variable, String model, Instant issueTime) {
    return jdbc
        .query(
            ISSUE_SELECT + " WHERE variable = ? AND model = ? AND issue_time = ?",
            ps -> {
              ps.setString(1, variable.key());
              ps.setString(2, model);
              ps.setObject(3, JdbcTerrafieldStore.utc(issueTime));
            },
            JdbcForecasts::issueRow)
        .stream()
        .findFirst();
  }

  List<ForecastIssue> issues(Variable variable, String model, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    return jdbc.query(
        ISSUE_SELECT + " WHERE variable = ? AND model = ? ORDER BY issue_time DESC LIMIT ?",
        ps -> {
          ps.setString(1, variable.key());
          ps.setString(2, model);
          ps.setInt(3, limit);
        },
        JdbcForecasts::issueRow);
  }

  List<ForecastRecord> issueForecasts(
      Variable variable, String model, Instant issueTime, TargetKind kind) {
    return jdbc.query(
        SELECT
            + " WHERE variable = ? AND model = ? AND issue_time = ?"
            + (kind == null ? "" : " AND target_kind = ?")
            + " ORDER BY target_id, valid_time",
        ps -> {
          ps.setString(1, variable.key());
          ps.setString(2, model);
          ps.setObject(3, JdbcTerrafieldStore.utc(issueTime));
          if (kind != null) {
            ps.setString(4, kind.key());
          }
        },
        JdbcForecasts::row);
  }

  List<ForecastRecord> issueForecastsInBox(
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
    JdbcTerrafieldStore.requireBox(minLon, minLat, maxLon, maxLat);
    return jdbc.query(
        SELECT
            + " WHERE variable = ? AND model = ? AND issue_time = ?"
            + " AND valid_time >= ? AND valid_time < ?"
            + " AND geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)"
            + " AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?"
            + (kind == null ? "" : " AND target_kind = ?")
            + " ORDER BY target_id, valid_time",
        ps -> {
          ps.setString(1, variable.key());
          ps.setString(2, model);
          ps.setObject(3, JdbcTerrafieldStore.utc(issueTime));
          ps.setObject(4, JdbcTerrafieldStore.utc(validFrom));
          ps.setObject(5, JdbcTerrafieldStore.utc(validTo));
          JdbcTerrafieldStore.bindBox(ps, 6, minLon, minLat, maxLon, maxLat);
          ps.setDouble(10, minLon);
          ps.setDouble(11, maxLon);
          ps.setDouble(12, minLat);
          ps.setDouble(13, maxLat);
          if (kind != null) {
            ps.setString(14, kind.key());
          }
        },
        JdbcForecasts::row);
  }

  List<ForecastRecord> latestForecasts(String targetId, Variable variable, String model) {
    return jdbc.query(
        SELECT
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
        JdbcForecasts::row);
  }

  List<ForecastRecord> forecastsInBox(
      Variable variable,
      String model,
      Instant validTime,
      double minLon,
      double minLat,
      double maxLon,
      double maxLat) {
    JdbcTerrafieldStore.requireBox(minLon, minLat, maxLon, maxLat);
    return jdbc.query(
        SELECT
            + " f WHERE f.variable = ? AND f.model = ? AND f.valid_time = ?"
            + " AND f.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)"
            + " AND f.issue_time = (SELECT MAX(g.issue_time) FROM forecasts g"
            + " WHERE g.target_id = f.target_id AND g.variable = f.variable"
            + " AND g.model = f.model AND g.valid_time = f.valid_time)"
            + " ORDER BY f.target_id",
        ps -> {
          ps.setString(1, variable.key());
          ps.setString(2, model);
          ps.setObject(3, JdbcTerrafieldStore.utc(validTime));
          JdbcTerrafieldStore.bindBox(ps, 4, minLon, minLat, maxLon, maxLat);
        },
        JdbcForecasts::row);
  }

  int deleteIssuesBefore(Instant cutoff) {
    String older =
        " issue_time < ? AND issue_time < (SELECT MAX(n.issue_time) FROM forecast_issues n"
            + " WHERE n.variable = %s.variable AND n.model = %s.model)";
    return jdbc.inTransaction(
        "delete issues before " + cutoff,
        connection -> {
          int deleted;
          try (PreparedStatement ps =
              connection.prepareStatement(
                  "DELETE FROM forecasts f WHERE" + older.formatted("f", "f"))) {
            ps.setObject(1, JdbcTerrafieldStore.utc(cutoff));
            deleted = ps.executeUpdate();
          }
          try (PreparedStatement ps =
              connection.prepareStatement(
                  "DELETE FROM forecast_issues i WHERE" + older.formatted("i", "i"))) {
            ps.setObject(1, JdbcTerrafieldStore.utc(cutoff));
            ps.executeUpdate();
          }
          return deleted;
        });
  }

  int deleteCellForecastsBefore(Variable variable, String model, Instant cutoff) {
    return jdbc.inTransaction(
        "delete the cell forecasts of " + variable.key() + " issues before " + cutoff,
        connection -> {
          try (PreparedStatement ps =
              connection.prepareStatement(
                  "DELETE FROM forecasts WHERE variable = ? AND model = ? AND issue_time < ?"
                      + " AND target_kind = ?")) {
            ps.setString(1, variable.key());
            ps.setString(2, model);
            ps.setObject(3, JdbcTerrafieldStore.utc(cutoff));
            ps.setString(4, TargetKind.CELL.key());
            return ps.executeUpdate();
          }
        });
  }

  private static void bind(PreparedStatement ps, ForecastRecord f) throws SQLException {
    int i = 1;
    ps.setString(i++, f.targetId());
    ps.setString(i++, f.targetKind().key());
    ps.setDouble(i++, f.lon());
    ps.setDouble(i++, f.lat());
    ps.setDouble(i++, f.lon());
    ps.setDouble(i++, f.lat());
    ps.setString(i++, f.variable().key());
    ps.setString(i++, f.model());
    ps.setString(i++, f.modelVersion());
    ps.setObject(i++, JdbcTerrafieldStore.utc(f.issueTime()));
    ps.setObject(i++, JdbcTerrafieldStore.utc(f.validTime()));
    ps.setInt(i++, f.horizonH());
    for (double q : f.quantiles().toArray()) {
      ps.setDouble(i++, q);
    }
    ps.setDouble(i++, f.mean());
    ps.setDouble(i++, f.threshold());
    ps.setDouble(i++, f.exceedanceProbability());
    ps.setString(i++, f.categoryScheme());
    ps.setString(i++, f.category());
    ps.setDouble(i, f.intervalFactor());
  }

  private static void bindIssue(PreparedStatement ps, ForecastIssue issue) throws SQLException {
    ps.setString(1, issue.variable().key());
    ps.setString(2, issue.model());
    ps.setObject(3, JdbcTerrafieldStore.utc(issue.issueTime()));
    ps.setString(4, issue.modelVersion());
    ps.setObject(5, JdbcTerrafieldStore.utc(issue.issuedAt()));
    ps.setInt(6, issue.stationCount());
    ps.setInt(7, issue.cellCount());
    ps.setDouble(8, issue.cellSizeDeg());
    ps.setInt(9, issue.maxHorizonH());
  }

  private static ForecastRecord row(ResultSet rs) throws SQLException {
    return new ForecastRecord(
        rs.getString(1),
        TargetKind.byKey(rs.getString(2)),
        rs.getDouble(3),
        rs.getDouble(4),
        JdbcTerrafieldStore.variable(rs.getString(5)),
        rs.getString(6),
        rs.getString(7),
        JdbcTerrafieldStore.instant(rs, 8),
        JdbcTerrafieldStore.instant(rs, 9),
        rs.getInt(10),
        new ForecastRecord.Quantiles(
            rs.getDouble(11),
            rs.getDouble(12),
            rs.getDouble(13),
            rs.getDouble(14),
            rs.getDouble(15),
            rs.getDouble(16),
            rs.getDouble(17)),
        rs.getDouble(18),
        rs.getDouble(19),
        rs.getDouble(20),
        rs.getString(21),
        rs.getString(22),
        rs.getDouble(23));
  }

  private static ForecastIssue issueRow(ResultSet rs) throws SQLException {
    return new ForecastIssue(
        JdbcTerrafieldStore.variable(rs.getString(1)),
        rs.getString(2),
        JdbcTerrafieldStore.instant(rs, 3),
        rs.getString(4),
        JdbcTerrafieldStore.instant(rs, 5),
        rs.getInt(6),
        rs.getInt(7),
        rs.getDouble(8),
        rs.getInt(9));
  }
}
