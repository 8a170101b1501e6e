package io.terrafield.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.store.TerrafieldStore.Dialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The store contract on an embedded in-memory H2GIS database. Loading the H2GIS functions takes
 * about two seconds, so the tests of this class share one database and empty its tables after each
 * test.
 */
class H2gisStoreTest extends AbstractForecastStoreContractTest {

  private static final String URL =
      "jdbc:h2:mem:tf_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";

  @Override
  protected TestDatabase newDatabase() {
    String url = URL;
    return new TestDatabase() {
      @Override
      public String url() {
        return url;
      }

      @Override
      public String user() {
        return "sa";
      }

      @Override
      public String password() {
        return "";
      }

      @Override
      public void close() {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
            Statement s = c.createStatement()) {
          for (String table :
              List.of(
                  "effects",
                  "alerts",
                  "satellite_features",
                  "forecasts",
                  "forecast_issues",
                  "latest_values",
                  "observations",
                  "station_versions",
                  "stations")) {
            s.execute("DELETE FROM " + table);
          }
        } catch (SQLException e) {
          throw new IllegalStateException("cannot empty the tables of " + url, e);
        }
      }
    };
  }

  @Override
  protected boolean hasSpatialIndex(Connection connection, String table) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES"
                + " WHERE TABLE_NAME = ? AND INDEX_TYPE_NAME = 'SPATIAL INDEX'")) {
      ps.setString(1, table.toUpperCase(java.util.Locale.ROOT));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  @Test
  void dialectIsH2gis() {
    assertThat(store.dialect()).isEqualTo(Dialect.H2GIS);
  }
}
