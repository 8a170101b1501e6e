package io.terrafield.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The station registry's history in {@code station_versions}: each registration that changes a
 * station's metadata closes its current version at the registration's time and opens the next one;
 * the {@code stations} row always holds the current version, so every query that joins stations
 * keeps working. A station stored without a version (bulk imports use {@link
 * ObservationStore#upsertStations}) counts as version 1, valid since the epoch. Runs inside the
 * caller's transaction; stateless and thread-safe.
 */
final class StationVersions {

  private static final String COLUMNS =
      "id, name, lon, lat, altitude_m, network, metadata, version, valid_from, valid_to";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM station_versions";

  private final String upsertStation;
  private final String metadataParameter;
  private final Function<Map<String, String>, String> toJson;
  private final StationReader readStation;

  @FunctionalInterface
  interface StationReader {
    Station read(ResultSet rs) throws SQLException;
  }

  /**
   * @param upsertStation the dialect's station upsert (parameters as {@code upsertStations} binds)
   * @param metadataParameter how a JSON text parameter is written in the dialect
   */
  StationVersions(
      String upsertStation,
      String metadataParameter,
      Function<Map<String, String>, String> toJson,
      StationReader readStation) {
    this.upsertStation = upsertStation;
    this.metadataParameter = metadataParameter;
    this.toJson = toJson;
    this.readStation = readStation;
  }

  /** Registers one station as of {@code validFrom}; returns the version written, if any. */
  Optional<StationVersion> register(Connection c, Station station, Instant validFrom)
      throws SQLException {
    Optional<StationVersion> current = current(c, station.id());
    if (current.isEmpty()) {
      Optional<Station> unversioned = stationRow(c, station.id());
      if (unversioned.isPresent()) {
        insert(c, new StationVersion(unversioned.get(), 1, Instant.EPOCH, null));
        current = current(c, station.id());
      }
    }
    if (current.isPresent() && current.get().station().equals(station)) {
      return Optional.empty();
    }
    int version = 1;
    if (current.isPresent()) {
      StationVersion was = current.get();
      if (!validFrom.isAfter(was.validFrom())) {
        throw new IllegalArgumentException(
            "station "
                + station.id()
                + ": valid_from "
                + validFrom
                + " is not after the current version's valid_from "
                + was.validFrom()
                + " (version "
                + was.version()
                + ")");
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE station_versions SET valid_to = ? WHERE id = ? AND version = ?")) {
        ps.setObject(1, utc(validFrom));
        ps.setString(2, station.id());
        ps.setInt(3, was.version());
        ps.executeUpdate();
      }
      version = was.version() + 1;
    }
    upsertStationRow(c, station);
    StationVersion next = new StationVersion(station, version, validFrom, null);
    insert(c, next);
    return Optional.of(next);
  }

  /** Every version of {@code id}, oldest first. */
  List<StationVersion> versions(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ? ORDER BY version")) {
      ps.setString(1, id);
      return read(ps);
    }
  }

  private Optional<StationVersion> current(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(SELECT + " WHERE id = ? AND valid_to IS NULL FOR UPDATE")) {
      ps.setString(1, id);
      return read(ps).stream().findFirst();
    }
  }

  private Optional<Station> stationRow(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, name, lon, lat, altitude_m, network, metadata FROM stations WHERE id = ?"
                + " FOR UPDATE")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(readStation.read(rs)) : Optional.empty();
      }
    }
  }

  private List<StationVersion> read(PreparedStatement ps) throws SQLException {
    List<StationVersion> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        OffsetDateTime to = rs.getObject(10, OffsetDateTime.class);
        out.add(
            new StationVersion(
                readStation.read(rs),
                rs.getInt(8),
                rs.getObject(9, OffsetDateTime.class).toInstant(),
                to == null ? null : to.toInstant()));
      }
    }
    return out;
  }

  private void insert(Connection c, StationVersion v) throws SQLException {
    Station s = v.station();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO station_versions ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, "
                + metadataParameter
                + ", ?, ?, ?)")) {
      ps.setString(1, s.id());
      ps.setString(2, s.name());
      ps.setDouble(3, s.lon());
      ps.setDouble(4, s.lat());
      setDouble(ps, 5, s.altitudeM());
      ps.setString(6, s.network());
      ps.setString(7, toJson.apply(s.metadata()));
      ps.setInt(8, v.version());
      ps.setObject(9, utc(v.validFrom()));
      if (v.validTo() == null) {
        ps.setNull(10, Types.TIMESTAMP_WITH_TIMEZONE);
      } else {
        ps.setObject(10, utc(v.validTo()));
      }
      ps.executeUpdate();
    }
  }

  private void upsertStationRow(Connection c, Station s) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(upsertStation)) {
      ps.setString(1, s.id());
      ps.setString(2, s.name());
      ps.setDouble(3, s.lon());
      ps.setDouble(4, s.lat());
      setDouble(ps, 5, s.altitudeM());
      ps.setString(6, s.network());
      ps.setString(7, toJson.apply(s.metadata()));
      ps.setDouble(8, s.lon());
      ps.setDouble(9, s.lat());
      ps.executeUpdate();
    }
  }

  private static void setDouble(PreparedStatement ps, int i, Double x) throws SQLException {
    if (x == null) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, x);
    }
  }

  private static OffsetDateTime utc(Instant t) {
    return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }
}
