package io.terrafield.store;

/** An observation names a station the store does not hold. */
public class UnknownStationException extends IllegalArgumentException {

  private final String stationId;

  public UnknownStationException(String stationId, String context) {
    super("unknown station id '" + stationId + "'" + (context == null ? "" : " " + context));
    this.stationId = stationId;
  }

  /** The station id that is not in the store. */
  public String stationId() {
    return stationId;
  }
}
