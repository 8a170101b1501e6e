package io.terrafield.api.collections;

import io.terrafield.store.Variable;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Which EDR queries each collection answers: {@code locations} for every pollutant; {@code
 * position}, {@code area} and {@code cube} only for the variables that are forecast ({@code
 * terrafield.forecast.variables} with {@code terrafield.forecast.enabled}). Collection metadata
 * advertises exactly these, and a query a collection does not offer is a 404.
 */
@Component
public class EdrQueries {

  /** The forecast queries (CoverageJSON). */
  public static final List<String> FORECAST_QUERIES = List.of("position", "area", "cube");

  private final Set<String> forecast;

  public EdrQueries(
      @Value("${terrafield.forecast.enabled:true}") boolean enabled,
      @Value("${terrafield.forecast.variables:pm25}") List<String> variables) {
    this.forecast = enabled ? Set.copyOf(variables) : Set.of();
  }

  /** Whether {@code v} is forecast (offers position, area and cube). */
  public boolean isForecast(Variable v) {
    return forecast.contains(v.key());
  }

  /** The query types {@code v} offers, in a stable order. */
  public List<String> queries(Variable v) {
    return isForecast(v) ? List.of("position", "area", "cube", "locations") : List.of("locations");
  }

  String forecastKeys() {
    return forecast.stream().sorted().collect(Collectors.joining(", ", "[", "]"));
  }
}
