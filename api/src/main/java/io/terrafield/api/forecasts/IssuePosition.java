package io.terrafield.api.forecasts;

import io.terrafield.store.Variable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The forecast at a queried point for the selected valid times of one stored issue.
 *
 * @param variable the forecast variable
 * @param lon queried longitude (degrees)
 * @param lat queried latitude (degrees)
 * @param source {@code station} (the stored forecast of a station within {@code nearest-km}),
 *     {@code field} (bilinear interpolation of the stored grid cells) or {@code nearest-station}
 *     (no stored cell around the point: the nearest station's forecast)
 * @param station the station whose forecast answers, or {@code null} for {@code field}
 * @param distanceKm distance to the nearest station of the issue, km
 * @param issueTime the issue time (the valid time of lead 1)
 * @param modelVersion the model artifact of the issue
 * @param times the selected valid times, hourly, ascending
 * @param series per name ({@code q025}, {@code q05}, {@code q25}, {@code q50}, {@code q75}, {@code
 *     q95}, {@code q975}, {@code mean} in the variable's unit, {@code p_exceed} a probability) one
 *     value per valid time (NaN where the issue has none)
 * @param threshold the exceedance threshold of {@code p_exceed}
 */
public record IssuePosition(
    Variable variable,
    double lon,
    double lat,
    String source,
    String station,
    double distanceKm,
    Instant issueTime,
    String modelVersion,
    List<Instant> times,
    Map<String, double[]> series,
    double threshold) {}
