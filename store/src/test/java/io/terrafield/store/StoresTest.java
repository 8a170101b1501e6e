package io.terrafield.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.terrafield.store.TerrafieldStore.Dialect;
import org.junit.jupiter.api.Test;

class StoresTest {

  @Test
  void dialectComesFromTheUrl() {
    assertThat(Stores.dialectOf("jdbc:postgresql://db:5432/terrafield")).isEqualTo(Dialect.POSTGIS);
    assertThat(Stores.dialectOf("jdbc:h2:./data/terrafield")).isEqualTo(Dialect.H2GIS);
  }

  @Test
  void otherDatabasesAreRejectedByName() {
    assertThatThrownBy(() -> Stores.open("jdbc:mysql://db/terrafield", "u", "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unsupported JDBC URL 'jdbc:mysql://db/terrafield': expected jdbc:postgresql:... or"
                + " jdbc:h2:...");
  }

  @Test
  void unreachableDatabaseNamesUrlAndUser() {
    assertThatThrownBy(
            () ->
                Stores.open(
                    "jdbc:postgresql://127.0.0.1:1/terrafield?connectTimeout=2", "someone", "x"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot connect to jdbc:postgresql://127.0.0.1:1/terrafield")
        .hasMessageContaining("'someone'");
  }
}
