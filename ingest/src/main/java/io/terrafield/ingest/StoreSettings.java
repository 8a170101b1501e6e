package io.terrafield.ingest;

import io.terrafield.store.Stores;
import io.terrafield.store.TerrafieldStore;
import java.io.Serializable;

/**
 * How a Flink operator reaches the store: a JDBC URL ({@code jdbc:postgresql:…} for PostGIS, {@code
 * jdbc:h2:…} for the embedded H2GIS store) and credentials. Serializable, so that it can travel
 * inside a job graph; each operator opens its own connection pool.
 */
public record StoreSettings(String jdbcUrl, String user, String password) implements Serializable {

  /** Opens the store (and migrates its schema if needed). */
  public TerrafieldStore open() {
    return Stores.open(jdbcUrl, user, password);
  }

  @Override
  public String toString() {
    return "StoreSettings[" + jdbcUrl + ", user=" + user + "]";
  }
}
