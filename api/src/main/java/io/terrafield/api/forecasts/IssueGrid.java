package io.terrafield.api.forecasts;

import io.terrafield.store.Variable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Forecasts on a regular lon × lat grid of cell centres for the selected valid times of one stored
 * issue, interpolated from the stored grid cells.
 *
 * @param variable the forecast variable
 * @param lons cell-centre longitudes (degrees, ascending)
 * @param lats cell-centre latitudes (degrees, ascending)
 * @param issueTime the issue time (the valid time of lead 1)
 * @param modelVersion the model artifact of the issue
 * @param times the valid times returned (hourly)
 * @param values per name ({@code mean}, {@code q05}, {@code q50}, {@code q95}, {@code p_exceed})
 *     the values indexed [time][lat][lon]; NaN outside the domain or the queried polygon
 * @param threshold the exceedance threshold of {@code p_exceed}
 */
public record IssueGrid(
    Variable variable,
    double[] lons,
    double[] lats,
    Instant issueTime,
    String modelVersion,
    List<Instant> times,
    Map<String, double[][][]> values,
    double threshold) {}
