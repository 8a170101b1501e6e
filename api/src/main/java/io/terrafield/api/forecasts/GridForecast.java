package io.terrafield.api.forecasts;

import io.terrafield.store.Variable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Field-only forecasts on a regular lon × lat grid for some valid times of the newest issue.
 *
 * @param variable the forecast variable
 * @param lons cell-centre longitudes (degrees, ascending)
 * @param lats cell-centre latitudes (degrees, ascending)
 * @param issueTime the first valid time of the issue
 * @param times the valid times returned (hourly)
 * @param values per name ({@code mean}, {@code q05}, {@code q50}, {@code q95}, {@code p_exceed})
 *     the values indexed [time][lat][lon]
 * @param threshold the exceedance threshold of {@code p_exceed}
 */
public record GridForecast(
    Variable variable,
    double[] lons,
    double[] lats,
    Instant issueTime,
    List<Instant> times,
    Map<String, double[][][]> values,
    double threshold) {}
