package io.terrafield.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** A database created by the V1 schema keeps its data and gains an exact summary from V2. */
class MigrationTest {

  @Test
  void v2BackfillsLatestValuesFromExistingObservations() throws SQLException {
    String url =
        "jdbc:h2:mem:mig_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    Flyway.configure()
        .dataSource(url, "sa", "")
        .locations("classpath:io/terrafield/store/migration/h2gis")
        .target("1")
        .load()
        .migrate();
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO stations (id, name, lon, lat, network, geom)"
              + " VALUES ('A', 'A', 116.4, 39.9, 'beijing', 'SRID=4326;POINT (116.4 39.9)')");
      s.execute(
          "INSERT INTO observations (station_id, time, pm25, temp) VALUES"
              + " ('A', TIMESTAMP WITH TIME ZONE '2014-01-01 00:00:00+00', 10, 1),"
              + " ('A', TIMESTAMP WITH TIME ZONE '2014-01-01 01:00:00+00', 20, NULL),"
              + " ('A', TIMESTAMP WITH TIME ZONE '2014-01-01 02:00:00+00', NULL, 3)");
    }

    try (TerrafieldStore store = Stores.open(url, "sa", "")) {
      assertThat(store.latestValues(Variable.PM25))
          .singleElement()
          .satisfies(
              lv -> {
                assertThat(lv.value()).isEqualTo(20);
                assertThat(lv.time()).isEqualTo(Instant.parse("2014-01-01T01:00:00Z"));
                assertThat(lv.count()).isEqualTo(2);
              });
      assertThat(store.latestValues(Variable.TEMP))
          .singleElement()
          .satisfies(lv -> assertThat(lv.count()).isEqualTo(2));
      assertThat(store.latestValues(Variable.O3)).isEmpty();
    }
  }
}
