package io.terrafield.store;

import io.terrafield.store.TerrafieldStore.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the table {@code latest_values} (newest non-missing value and number of non-missing values
 * per station and variable) exact under idempotent upserts, so that {@link
 * ObservationStore#latestValues} reads a dozen rows instead of scanning all observations.
 *
 * <p>Called inside the observation-upsert transaction, after the caller has locked the stations of
 * the batch ({@code SELECT ... FOR UPDATE}, so writers of one station take turns) and read the rows
 * the batch replaces. For each variable: the count changes by (new non-missing) − (replaced
 * non-missing); the newest value moves forward to the batch's newest non-missing value; if a
 * redelivery erased the current newest value, it is looked up again in the observations.
 */
final class LatestValueSummary {

  private static final String SELECT =
      "SELECT variable, latest_time, latest_value, value_count FROM latest_values"
          + " WHERE station_id = ?";
  private static final String DELETE =
      "DELETE FROM latest_values WHERE station_id = ? AND variable = ?";

  private record Entry(Instant time, double value, long count) {}

  private final String upsert;

  LatestValueSummary(Dialect dialect) {
    upsert =
        SqlWriter.upsert(
            dialect,
            "latest_values",
            List.of("station_id", "variable", "latest_time", "latest_value", "value_count"),
            List.of("station_id", "variable"),
            Map.of());
  }

  /**
   * Applies one station's batch.
   *
   * @param batch the observations just written for {@code stationId} (one per time)
   * @param replaced the rows they replaced, by time ({@code null} entries for new rows)
   */
  void apply(
      Connection connection,
      String stationId,
      List<Observation> batch,
      Map<Instant, Observation> replaced)
      throws SQLException {
    Map<Variable, Entry> current = read(connection, stationId);
    // One pass over the batch for all variables (a lookup of the replaced row per observation).
    Variable[] variables = Variable.values();
    Instant[] entryTimes = new Instant[variables.length];
    current.forEach((v, e) -> entryTimes[v.ordinal()] = e.time());
    long[] deltas = new long[variables.length];
    Instant[] newestTimes = new Instant[variables.length];
    double[] newestValues = new double[variables.length];
    boolean[] erased = new boolean[variables.length];
    for (Observation o : batch) {
      Observation before = replaced.isEmpty() ? null : replaced.get(o.time());
      Instant t = o.time();
      for (Variable v : variables) {
        int i = v.ordinal();
        Double now = o.value(v);
        Double was = before == null ? null : before.value(v);
        deltas[i] += (now != null ? 1 : 0) - (was != null ? 1 : 0);
        if (now != null && (newestTimes[i] == null || t.isAfter(newestTimes[i]))) {
          newestTimes[i] = t;
          newestValues[i] = now;
        }
        if (now == null && entryTimes[i] != null && t.equals(entryTimes[i])) {
          erased[i] = true;
        }
      }
    }
    for (Variable v : variables) {
      Entry entry = current.get(v);
      long delta = deltas[v.ordinal()];
      Instant newest = newestTimes[v.ordinal()];
      double newestValue = newestValues[v.ordinal()];
      boolean erasedNewest = erased[v.ordinal()];
      if (delta == 0 && newest == null && !erasedNewest) {
        continue;
      }
      long count = (entry == null ? 0 : entry.count()) + delta;
      if (count <= 0) {
        if (entry != null) {
          delete(connection, stationId, v);
        }
        continue;
      }
      Instant time;
      double value;
      if (newest != null && (entry == null || !newest.isBefore(entry.time()))) {
        time = newest;
        value = newestValue;
      } else if (entry != null && !erasedNewest) {
        time = entry.time();
        value = entry.value();
      } else {
        Entry found = newestInObservations(connection, stationId, v);
        time = found.time();
        value = found.value();
      }
      write(connection, stationId, v, time, value, count);
    }
  }

  private static Map<Variable, Entry> read(Connection connection, String stationId)
      throws SQLException {
    Map<Variable, Entry> entries = new EnumMap<>(Variable.class);
    try (PreparedStatement ps = connection.prepareStatement(SELECT)) {
      ps.setString(1, stationId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Variable v = Variable.byKey(rs.getString(1)).orElse(null);
          if (v != null) {
            entries.put(
                v,
                new Entry(
                    rs.getObject(2, OffsetDateTime.class).toInstant(),
                    rs.getDouble(3),
                    rs.getLong(4)));
          }
        }
      }
    }
    return entries;
  }

  private static Entry newestInObservations(Connection connection, String stationId, Variable v)
      throws SQLException {
    String column = v.key();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT time, "
                + column
                + " FROM observations WHERE station_id = ? AND time = (SELECT MAX(time)"
                + " FROM observations WHERE station_id = ? AND "
                + column
                + " IS NOT NULL)")) {
      ps.setString(1, stationId);
      ps.setString(2, stationId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException(
              "latest_values says station " + stationId + " has " + column + " values, but none");
        }
        return new Entry(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getDouble(2), 0);
      }
    }
  }

  private void write(
      Connection connection, String stationId, Variable v, Instant time, double value, long count)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(upsert)) {
      ps.setString(1, stationId);
      ps.setString(2, v.key());
      ps.setObject(3, OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
      ps.setDouble(4, value);
      ps.setLong(5, count);
      ps.executeUpdate();
    }
  }

  private static void delete(Connection connection, String stationId, Variable v)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(DELETE)) {
      ps.setString(1, stationId);
      ps.setString(2, v.key());
      ps.executeUpdate();
    }
  }
}
