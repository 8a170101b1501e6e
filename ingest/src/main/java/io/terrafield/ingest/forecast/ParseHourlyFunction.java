package io.terrafield.ingest.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits an hourly observation message ({@code aq.observations.hourly}, written by the sensor job)
 * into one {@link HourlyValue} per forecast variable it has. A message that is not such JSON (no
 * {@code station}, no parseable {@code time}) is logged with the reason and counted ({@code
 * malformed}); its variables absent or non-finite are skipped.
 */
final class ParseHourlyFunction extends ProcessFunction<String, HourlyValue> {
  private static final Logger LOG = LoggerFactory.getLogger(ParseHourlyFunction.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> variables;
  private transient Counter malformed;

  ParseHourlyFunction(List<String> variables) {
    this.variables = List.copyOf(variables);
  }

  @Override
  public void open(OpenContext context) {
    malformed = getRuntimeContext().getMetricGroup().counter("malformed");
  }

  @Override
  public void processElement(String message, Context ctx, Collector<HourlyValue> out) {
    JsonNode node;
    Instant hour;
    String station;
    try {
      node = JSON.readTree(message);
      station = node.path("station").asText("");
      if (station.isBlank()) {
        throw new IllegalArgumentException("station: missing");
      }
      hour = Instant.parse(node.path("time").asText()).truncatedTo(ChronoUnit.HOURS);
    } catch (Exception e) {
      malformed.inc();
      LOG.warn("Hourly message skipped ({}): {}", e.getMessage(), abbreviate(message));
      return;
    }
    for (String v : variables) {
      JsonNode x = node.get(v);
      if (x != null && x.isNumber() && Double.isFinite(x.asDouble())) {
        out.collect(new HourlyValue(v, station, hour.toEpochMilli(), x.asDouble()));
      }
    }
  }

  private static String abbreviate(String s) {
    return s == null || s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
