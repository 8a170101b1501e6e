package io.terrafield.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Decides whether the PostGIS test database is reachable and hands out isolated schemas in it.
 *
 * <p>The database is {@code jdbc:postgresql://localhost:5432/terrafield}, user and password {@code
 * terrafield}, overridable with the environment variables {@code TERRAFIELD_PG_URL}, {@code
 * TERRAFIELD_PG_USER} and {@code TERRAFIELD_PG_PASSWORD} ({@code store/scripts/setup-postgis.sh}
 * creates it). When it is unreachable, tests that call {@link #assumeAvailable()} are skipped with
 * the reason, unless the system property {@code terrafield.requirePostgis} is {@code true} (CI):
 * then they fail.
 *
 * <p>Each {@link #isolatedSchema()} is a fresh schema on the search path before {@code public}
 * (where PostGIS lives), so concurrent builds and test classes never see each other's rows.
 */
public final class PostgisTestSupport {

  private static final String DEFAULT_URL = "jdbc:postgresql://localhost:5432/terrafield";
  private static volatile String unavailableReason;
  private static volatile boolean checked;

  private PostgisTestSupport() {}

  public static String url() {
    return env("TERRAFIELD_PG_URL", DEFAULT_URL);
  }

  public static String user() {
    return env("TERRAFIELD_PG_USER", "terrafield");
  }

  public static String password() {
    return env("TERRAFIELD_PG_PASSWORD", "terrafield");
  }

  /** Whether tests must fail rather than skip when PostGIS is unreachable. */
  public static boolean required() {
    return Boolean.parseBoolean(System.getProperty("terrafield.requirePostgis", "false"));
  }

  /** {@code true} if the database answers and has the PostGIS extension (checked once per JVM). */
  public static boolean isAvailable() {
    return reasonUnavailable() == null;
  }

  /** Skips the calling test when PostGIS is unreachable, or fails it when PostGIS is required. */
  public static void assumeAvailable() {
    String reason = reasonUnavailable();
    if (reason == null) {
      return;
    }
    String message =
        "PostGIS not reachable at "
            + url()
            + " as "
            + user()
            + ": "
            + reason
            + " (run store/scripts/setup-postgis.sh)";
    if (required()) {
      fail(message + "; required because terrafield.requirePostgis=true");
    }
    Assumptions.abort(message);
  }

  /**
   * Creates a fresh schema (after {@link #assumeAvailable()}); closing the returned handle drops it
   * with everything in it.
   */
  public static IsolatedSchema isolatedSchema() {
    assumeAvailable();
    String schema =
        "tf_test_"
            + UUID.randomUUID()
                .toString()
                .replace("-", "")
                .substring(0, 12)
                .toLowerCase(Locale.ROOT);
    execute("CREATE SCHEMA " + schema);
    String separator = url().contains("?") ? "&" : "?";
    return new IsolatedSchema(
        schema, url() + separator + "currentSchema=" + schema + ",public", user(), password());
  }

  /** A schema of the test database, and the JDBC URL whose search path starts with it. */
  public record IsolatedSchema(String schema, String url, String user, String password)
      implements AutoCloseable {
    @Override
    public void close() {
      execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static synchronized String reasonUnavailable() {
    if (!checked) {
      DriverManager.setLoginTimeout(5);
      try (Connection c = DriverManager.getConnection(url(), user(), password());
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT postgis_lib_version()")) {
        rs.next();
        unavailableReason = null;
      } catch (SQLException e) {
        unavailableReason = e.getMessage();
      }
      checked = true;
    }
    return unavailableReason;
  }

  private static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(url(), user(), password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostGIS test database: " + sql + " failed: " + e, e);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
