package io.terrafield.api.forecasts;

import io.terrafield.store.Variable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The forecast at a queried point for the hours of the newest issue.
 *
 * @param variable the forecast variable
 * @param lon queried longitude (degrees)
 * @param lat queried latitude (degrees)
 * @param station the station whose forecast answers (within {@code nearest-km}), or {@code null}
 *     for a field-only forecast at the point
 * @param distanceKm distance to the nearest fitted station
 * @param issueTime the first valid time of the issue (the hour after the newest stored hour)
 * @param times valid times, hourly, horizons 1..72
 * @param series per name ({@code mean}, {@code q025}, {@code q05}, {@code q25}, {@code q50}, {@code
 *     q75}, {@code q95}, {@code q975}, {@code p_exceed}) one value per valid time
 * @param threshold the exceedance threshold of {@code p_exceed}
 */
public record PositionForecast(
    Variable variable,
    double lon,
    double lat,
    String station,
    double distanceKm,
    Instant issueTime,
    List<Instant> times,
    Map<String, double[]> series,
    double threshold) {}
