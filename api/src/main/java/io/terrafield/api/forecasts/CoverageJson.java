package io.terrafield.api.forecasts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.terrafield.store.Variable;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pieces of the CoverageJSON documents the forecast queries answer with (CRS84 + Gregorian t). */
final class CoverageJson {

  /** The media type of CoverageJSON. */
  static final String MEDIA_TYPE = "application/prs.coverage+json";

  /** What each forecast series is ({@code p_exceed} is described by {@link #parameter}). */
  private static final Map<String, String> DESCRIPTIONS =
      Map.of(
          "mean", "predictive mean",
          "q025", "2.5 % quantile (lower bound of the 95 % interval)",
          "q05", "5 % quantile (lower bound of the 90 % interval)",
          "q25", "25 % quantile",
          "q50", "predictive median",
          "q75", "75 % quantile",
          "q95", "95 % quantile (upper bound of the 90 % interval)",
          "q975", "97.5 % quantile (upper bound of the 95 % interval)");

  private static final String CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

  private CoverageJson() {}

  /**
   * The {@code values} of an {@code NdArray} range, flattened in the order of its axes: each value
   * rounded to 3 decimals ({@link CsvTable#round}), null where it is not finite (NaN: no forecast
   * there). Jackson writes it as a JSON array straight from the {@code double[]}, without a boxed
   * {@code List<Double>}: the same text as that list.
   */
  @JsonSerialize(using = Values.Writer.class)
  static final class Values {
    private final double[] values;

    /** Keeps {@code values} (not copied: do not change it afterwards). */
    Values(double[] values) {
      this.values = values;
    }

    static final class Writer extends StdSerializer<Values> {
      Writer() {
        super(Values.class);
      }

      @Override
      public void serialize(Values range, JsonGenerator json, SerializerProvider provider)
          throws IOException {
        double[] values = range.values;
        json.writeStartArray(range, values.length);
        for (double v : values) {
          if (Double.isFinite(v)) {
            json.writeNumber(CsvTable.round(v));
          } else {
            json.writeNull();
          }
        }
        json.writeEndArray();
      }
    }
  }

  /**
   * A map of key, value, key, value… in this order: answers are the same bytes in every JVM ({@code
   * Map.of} iterates in an order that changes from one JVM start to the next).
   */
  static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** A Domain of this type over x, y (CRS84 degrees) and t (instants). */
  static Map<String, Object> domain(String domainType, Object xs, Object ys, List<Instant> times) {
    Map<String, Object> axes = new LinkedHashMap<>();
    axes.put("x", Map.of("values", xs));
    axes.put("y", Map.of("values", ys));
    axes.put("t", Map.of("values", times.stream().map(Instant::toString).toList()));
    Map<String, Object> domain = new LinkedHashMap<>();
    domain.put("type", "Domain");
    domain.put("domainType", domainType);
    domain.put("axes", axes);
    domain.put(
        "referencing",
        List.of(
            ordered(
                "coordinates",
                List.of("x", "y"),
                "system",
                ordered("type", "GeographicCRS", "id", CRS84)),
            ordered(
                "coordinates",
                List.of("t"),
                "system",
                ordered("type", "TemporalRS", "calendar", "Gregorian"))));
    return domain;
  }

  /**
   * The Parameter of a series: {@code p_exceed} is the probability of exceeding the threshold (unit
   * 1), the others are quantiles or the mean in the variable's unit.
   */
  static Map<String, Object> parameter(Variable v, String series, double threshold) {
    String description = DESCRIPTIONS.get(series);
    boolean probability = series.equals("p_exceed");
    Map<String, Object> parameter = new LinkedHashMap<>();
    parameter.put("type", "Parameter");
    parameter.put(
        "description",
        Map.of(
            "en",
            probability
                ? "probability that " + v.label() + " exceeds " + threshold + " " + v.unit()
                : description + " of " + v.label()));
    parameter.put("observedProperty", Map.of("label", Map.of("en", v.label())));
    parameter.put("unit", Map.of("symbol", probability ? "1" : v.unit()));
    return parameter;
  }
}
