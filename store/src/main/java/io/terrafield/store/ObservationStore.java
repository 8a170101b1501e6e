package io.terrafield.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The spatial store of stations and observations. Implementations exist for PostgreSQL + PostGIS
 * (production) and H2GIS (embedded default); one contract test suite runs against both.
 *
 * <p>All writes are idempotent upserts keyed on the natural key (station id; station id and time),
 * so re-delivering a record changes nothing. Implementations are thread-safe.
 */
public interface ObservationStore extends AutoCloseable {

  /** Inserts or updates stations by id. */
  void upsertStations(Collection<Station> stations);

  /**
   * Inserts or replaces observations keyed on (station id, time). Returns the number of records
   * written. Every referenced station must exist.
   */
  int upsertObservations(Collection<Observation> observations);

  List<Station> stations();

  Optional<Station> station(String id);

  /**
   * Stations whose position lies in the box (degrees, WGS84, edges inclusive), ordered by id. Uses
   * the spatial index.
   */
  List<Station> stationsInBox(double minLon, double minLat, double maxLon, double maxLat);

  /** Observations of one station with {@code from <= time < to}, ordered by time. */
  List<Observation> observations(String stationId, Instant from, Instant to);

  /**
   * For each station with at least one non-missing value of {@code variable}: the newest such value
   * and the number of such values.
   */
  List<LatestValue> latestValues(Variable variable);

  /** Number of stored observations (rows), over all stations. */
  long countObservations();

  /**
   * Number of stored observations of one station with {@code from <= time < to}: what {@link
   * #observations} would return, counted without reading the rows.
   */
  default long countObservations(String stationId, Instant from, Instant to) {
    return observations(stationId, from, to).size();
  }

  @Override
  void close();
}
