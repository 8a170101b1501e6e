package io.terrafield.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.store.PostgisTestSupport.IsolatedSchema;
import io.terrafield.store.TerrafieldStore.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The store contract on PostgreSQL + PostGIS, each test in its own schema. Skips when PostGIS is
 * unreachable unless {@code -Dterrafield.requirePostgis=true}.
 */
class PostgisStoreTest extends AbstractForecastStoreContractTest {

  @Override
  protected TestDatabase newDatabase() {
    IsolatedSchema schema = PostgisTestSupport.isolatedSchema();
    return new TestDatabase() {
      @Override
      public String url() {
        return schema.url();
      }

      @Override
      public String user() {
        return schema.user();
      }

      @Override
      public String password() {
        return schema.password();
      }

      @Override
      public void close() {
        schema.close();
      }
    };
  }

  @Override
  protected boolean hasSpatialIndex(Connection connection, String table) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema()"
                + " AND tablename = ? AND indexdef ILIKE '%USING gist (geom)%'")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  @Test
  void dialectIsPostgis() {
    assertThat(store.dialect()).isEqualTo(Dialect.POSTGIS);
  }

  @Test
  void geometryColumnIsTypedPoint4326() throws SQLException {
    try (Connection c = rawConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT type, srid FROM geometry_columns WHERE f_table_schema = current_schema()"
                    + " AND f_table_name = 'stations' AND f_geometry_column = 'geom'");
        ResultSet rs = ps.executeQuery()) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("POINT");
      assertThat(rs.getInt(2)).isEqualTo(4326);
    }
  }
}
