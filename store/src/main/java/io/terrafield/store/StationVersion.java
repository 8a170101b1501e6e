package io.terrafield.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of a station's metadata: what {@link ObservationStore#registerStations} recorded for
 * {@code [validFrom, validTo)}.
 *
 * @param station the station as it was in this version
 * @param version 1 for the first registration, then one more per change
 * @param validFrom when this version took effect
 * @param validTo when the next version took effect, or {@code null} for the current version
 */
public record StationVersion(Station station, int version, Instant validFrom, Instant validTo) {

  public StationVersion {
    Objects.requireNonNull(station, "station");
    Objects.requireNonNull(validFrom, "validFrom");
    if (version < 1) {
      throw new IllegalArgumentException("station version must be >= 1, was " + version);
    }
  }

  /** Whether this is the station's current version. */
  public boolean current() {
    return validTo == null;
  }
}
