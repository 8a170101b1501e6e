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

  /**
   * Inserts or updates stations by id, without recording a version (bulk imports); see {@link
   * #registerStations} for the versioned registry.
   */
  void upsertStations(Collection<Station> stations);

  /**
   * Registers stations as of {@code validFrom}, keeping their history: a new station gets version
   * 1; a station whose metadata (name, position, altitude, network, attributes) differs from its
   * current version gets the next version and the current one is closed at {@code validFrom}; an
   * unchanged station is left alone (so registering again is idempotent). {@link #stations()} shows
   * the current versions. Returns the versions written.
   *
   * @throws IllegalArgumentException if a changed station's {@code validFrom} is not after the
   *     current version's
   */
  List<StationVersion> registerStations(Collection<Station> stations, Instant validFrom);

  /** Every version of one station, oldest first (empty for an unknown station). */
  List<StationVersion> stationVersions(String id);

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

  /**
   * The time of the first stored non-missing value of {@code variable} at a station; empty when the
   * station has none. Reads the station's rows in time order up to the first such value.
   */
  default Optional<Instant> firstValueTime(String stationId, Variable variable) {
    return observations(stationId, Instant.parse("1900-01-01T00:00:00Z"), Instant.MAX).stream()
        .filter(o -> o.value(variable) != null)
        .map(Observation::time)
        .findFirst();
  }

  @Override
  void close();
}
