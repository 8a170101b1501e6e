package io.terrafield.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.terrafield.store.TerrafieldStore.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2gis.functions.factory.H2GISFunctions;

/**
 * Opens a {@link TerrafieldStore}: detects the database from the JDBC URL, creates a small
 * connection pool, brings the schema up to date with the Flyway migrations of that dialect ({@code
 * io/terrafield/store/migration/postgis} or {@code .../h2gis}) and, for H2, registers the H2GIS
 * spatial functions once per database.
 *
 * <p>The migrations deliberately live outside Flyway's and Spring Boot's default location {@code
 * db/migration}: an application that also uses Spring Boot's Flyway auto-configuration will not
 * pick up two dialects' scripts by accident.
 */
public final class Stores {

  /**
   * The embedded default: an in-memory H2GIS database that lives as long as the JVM. Use a file URL
   * such as {@code jdbc:h2:./data/terrafield} to keep the data across restarts.
   */
  public static final String EMBEDDED_URL = "jdbc:h2:mem:terrafield;DB_CLOSE_DELAY=-1";

  private static final int POOL_SIZE = 8;

  private Stores() {}

  /**
   * Opens the store at {@code jdbcUrl} ({@code jdbc:postgresql:...} or {@code jdbc:h2:...}).
   *
   * @throws IllegalArgumentException if the URL names another database
   * @throws StoreException if the database cannot be reached or migrated
   */
  public static TerrafieldStore open(String jdbcUrl, String user, String password) {
    Dialect dialect = dialectOf(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setDriverClassName(
        dialect == Dialect.POSTGIS ? "org.postgresql.Driver" : "org.h2.Driver");
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setPoolName("terrafield-store");
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException(
          "cannot connect to " + jdbcUrl + " as user '" + user + "': " + rootMessage(e), e);
    }
    try {
      if (dialect == Dialect.H2GIS) {
        loadH2gisFunctions(dataSource);
      } else {
        requirePostgisExtension(dataSource, jdbcUrl);
      }
      Flyway.configure()
          .dataSource(dataSource)
          .locations(
              "classpath:io/terrafield/store/migration/" + dialect.name().toLowerCase(Locale.ROOT))
          // PostGIS and H2GIS put their own tables (spatial_ref_sys, ...) into the schema.
          .baselineOnMigrate(true)
          .baselineVersion("0")
          // V3-V9 (forecasts, alerts) were added after V20 (effects): apply them out of order.
          .outOfOrder(true)
          .load()
          .migrate();
      return new JdbcTerrafieldStore(dataSource, dialect);
    } catch (SQLException | FlywayException e) {
      dataSource.close();
      throw new StoreException(
          "cannot prepare the schema at " + jdbcUrl + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  /** Opens the embedded in-memory default store ({@link #EMBEDDED_URL}, user {@code sa}). */
  public static TerrafieldStore openEmbedded() {
    return open(EMBEDDED_URL, "sa", "");
  }

  static Dialect dialectOf(String jdbcUrl) {
    if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
      return Dialect.POSTGIS;
    }
    if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:h2:")) {
      return Dialect.H2GIS;
    }
    throw new IllegalArgumentException(
        "unsupported JDBC URL '" + jdbcUrl + "': expected jdbc:postgresql:... or jdbc:h2:...");
  }

  private static void loadH2gisFunctions(HikariDataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.ROUTINES"
                    + " WHERE ROUTINE_NAME = 'ST_MAKEENVELOPE'")) {
      rs.next();
      if (rs.getLong(1) == 0) {
        H2GISFunctions.load(connection);
      }
    }
  }

  private static void requirePostgisExtension(HikariDataSource dataSource, String jdbcUrl)
      throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery("SELECT COUNT(*) FROM pg_extension WHERE extname = 'postgis'")) {
      rs.next();
      if (rs.getLong(1) == 0) {
        throw new StoreException(
            "the database at "
                + jdbcUrl
                + " lacks the postgis extension: run CREATE EXTENSION postgis as a superuser"
                + " (store/scripts/setup-postgis.sh does)");
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
