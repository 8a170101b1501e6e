package io.terrafield.ingest;

/**
 * The Kafka topics of Terrafield. Every message is UTF-8 JSON; docs/topics.md shows an example of
 * each.
 */
public final class Topics {
  /** Raw sensor readings, one per message, as sensors or {@code terrafield replay} send them. */
  public static final String OBSERVATIONS_RAW = "aq.observations.raw";

  /** Readings the sensor job rejected: the original payload and the reason. */
  public static final String OBSERVATIONS_REJECTED = "aq.observations.rejected";

  /** Validated, deduplicated hourly observations, keyed by {@code station|hour}. */
  public static final String OBSERVATIONS_HOURLY = "aq.observations.hourly";

  /**
   * The station registry, compacted, keyed by station id: a station's current metadata, or a
   * tombstone (no value) when it was retired. The sensor job reads it as broadcast state.
   */
  public static final String STATIONS = "aq.stations";

  /** Satellite scene announcements (metadata and the URI of a GeoTIFF). */
  public static final String SAT_SCENES = "sat.scenes";

  /** Scenes the satellite job could not process, with the reason. */
  public static final String SAT_SCENES_REJECTED = "sat.scenes.rejected";

  /** Per-station and per-grid-cell features computed from satellite scenes. */
  public static final String SAT_FEATURES = "sat.features";

  /** Forecast quantiles at stations and grid cells. */
  public static final String FORECASTS = "aq.forecasts";

  /** Exceedance alerts as CloudEvents JSON. */
  public static final String ALERTS = "aq.alerts";

  private Topics() {}
}
