package io.terrafield.api.forecasts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV answer (RFC 4180 through Jackson's CSV writer): a header row, then one row per location and
 * valid time; a missing number is an empty field. Not thread-safe (build one per answer).
 */
final class CsvTable {
  private static final CsvMapper CSV = new CsvMapper();

  private final List<String> columns;
  private final List<List<Object>> rows = new ArrayList<>();

  CsvTable(List<String> columns) {
    this.columns = List.copyOf(columns);
  }

  /** Adds a row (one value per column; null or a non-finite number: empty). */
  void add(List<Object> row) {
    List<Object> clean = new ArrayList<>(row.size());
    for (Object value : row) {
      clean.add(value instanceof Double d && !Double.isFinite(d) ? null : value);
    }
    rows.add(clean);
  }

  /** The text: the header row, then the rows, each line ending in a line feed. */
  String text() {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    columns.forEach(schema::addColumn);
    try {
      return CSV.writer(schema.build()).writeValueAsString(rows);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write CSV: " + e.getMessage(), e);
    }
  }

  /** Rounds to 3 decimals (NaN stays NaN). */
  static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
