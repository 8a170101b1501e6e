package io.terrafield.store;

import io.terrafield.store.TerrafieldStore.Dialect;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds the idempotent upsert statement of a table for a dialect: {@code INSERT ... ON CONFLICT
 * (key) DO UPDATE} on PostgreSQL, {@code MERGE INTO ... KEY (key)} on H2. Each column's value is
 * {@code ?} unless {@code expressions} gives another SQL expression (e.g. a point built from two
 * parameters).
 */
final class SqlWriter {

  /**
   * The WGS84 point of two parameters (lon, lat); the same functions exist in PostGIS and H2GIS.
   */
  static final String POINT = "ST_SetSRID(ST_MakePoint(?, ?), 4326)";

  private SqlWriter() {}

  static String upsert(
      Dialect dialect,
      String table,
      List<String> columns,
      List<String> keys,
      Map<String, String> expressions) {
    String columnList = String.join(", ", columns);
    String values =
        columns.stream()
            .map(c -> expressions.getOrDefault(c, "?"))
            .collect(Collectors.joining(", "));
    String keyList = String.join(", ", keys);
    if (dialect == Dialect.H2GIS) {
      return "MERGE INTO "
          + table
          + " ("
          + columnList
          + ") KEY ("
          + keyList
          + ") VALUES ("
          + values
          + ")";
    }
    String updates =
        columns.stream()
            .filter(c -> !keys.contains(c))
            .map(c -> c + " = EXCLUDED." + c)
            .collect(Collectors.joining(", "));
    return "INSERT INTO "
        + table
        + " ("
        + columnList
        + ") VALUES ("
        + values
        + ") ON CONFLICT ("
        + keyList
        + ") DO UPDATE SET "
        + updates;
  }
}
