package io.terrafield.causal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The units of an effect estimate: named columns of equal length, each either text (as read from a
 * CSV file) or numbers. Text columns are parsed to numbers when an estimate needs them, so that a
 * bad value is reported with its column, row and text. Immutable and thread-safe; the arrays given
 * to {@link #ofNumeric} are not copied and must not be changed afterwards.
 */
public final class UnitTable {
  private final Map<String, Object> columns;
  private final int rowCount;

  private UnitTable(Map<String, Object> columns, int rowCount) {
    this.columns = Collections.unmodifiableMap(columns);
    this.rowCount = rowCount;
  }

  /** Reads a CSV file with a header row; every column is kept as text. */
  public static UnitTable readCsv(Path csv) throws IOException {
    try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        CSVParser parser =
            CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setTrim(true)
                .get()
                .parse(reader)) {
      List<String> header = parser.getHeaderNames();
      List<List<String>> values = new ArrayList<>();
      for (int c = 0; c < header.size(); c++) {
        values.add(new ArrayList<>());
      }
      for (CSVRecord row : parser) {
        for (int c = 0; c < header.size(); c++) {
          values.get(c).add(c < row.size() ? row.get(c) : "");
        }
      }
      Map<String, Object> columns = new LinkedHashMap<>();
      for (int c = 0; c < header.size(); c++) {
        columns.put(header.get(c), values.get(c).toArray(String[]::new));
      }
      int rows = values.isEmpty() ? 0 : values.get(0).size();
      return new UnitTable(columns, rows);
    }
  }

  /** A table of numeric columns (NaN marks a missing value). All arrays must have one length. */
  public static UnitTable ofNumeric(Map<String, double[]> numericColumns) {
    Map<String, Object> columns = new LinkedHashMap<>();
    int rows = -1;
    for (Map.Entry<String, double[]> e : numericColumns.entrySet()) {
      rows = checkLength(e.getKey(), e.getValue().length, rows);
      columns.put(e.getKey(), e.getValue());
    }
    return new UnitTable(columns, Math.max(rows, 0));
  }

  /** Returns a copy of this table with a numeric column added or replaced. */
  public UnitTable withNumericColumn(String name, double[] values) {
    if (!columns.isEmpty()) {
      checkLength(name, values.length, rowCount);
    }
    Map<String, Object> copy = new LinkedHashMap<>(columns);
    copy.put(name, values);
    return new UnitTable(copy, values.length);
  }

  /** Returns the rows for which {@code keep} is true, in order. */
  public UnitTable filterRows(IntPredicate keep) {
    int[] kept = java.util.stream.IntStream.range(0, rowCount).filter(keep).toArray();
    return selectRows(kept);
  }

  /** Returns the given rows (indices may repeat, as in a bootstrap sample). */
  public UnitTable selectRows(int[] rows) {
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : columns.entrySet()) {
      if (e.getValue() instanceof double[] d) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
          out[i] = d[rows[i]];
        }
        copy.put(e.getKey(), out);
      } else {
        String[] s = (String[]) e.getValue();
        String[] out = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
          out[i] = s[rows[i]];
        }
        copy.put(e.getKey(), out);
      }
    }
    return new UnitTable(copy, rows.length);
  }

  /** Number of rows (units). */
  public int rowCount() {
    return rowCount;
  }

  /** Column names in their original order. */
  public List<String> columnNames() {
    return List.copyOf(columns.keySet());
  }

  /** True when the table has a column of this name. */
  public boolean hasColumn(String name) {
    return columns.containsKey(name);
  }

  /**
   * The column as numbers; empty text, {@code NA} and {@code NaN} become NaN.
   *
   * @param role what the column is used for, named in error messages (e.g. "covariate")
   * @throws CausalInputException when the column is absent or holds text that is not a number
   */
  public double[] numeric(String name, String role) {
    Object column = require(name, role);
    if (column instanceof double[] d) {
      return d;
    }
    String[] text = (String[]) column;
    double[] out = new double[text.length];
    for (int i = 0; i < text.length; i++) {
      out[i] = parse(text[i], name, role, i);
    }
    return out;
  }

  /** The column as text (numbers are formatted), for cluster labels and filters. */
  public String[] text(String name, String role) {
    Object column = require(name, role);
    if (column instanceof String[] s) {
      return s;
    }
    double[] d = (double[]) column;
    String[] out = new String[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = Double.isNaN(d[i]) ? "" : Double.toString(d[i]);
    }
    return out;
  }

  private Object require(String name, String role) {
    Object column = columns.get(name);
    if (column == null) {
      throw new CausalInputException(
          role + " column '" + name + "' not found; available columns: " + columns.keySet());
    }
    return column;
  }

  private static double parse(String text, String column, String role, int row) {
    if (text == null || text.isEmpty() || text.equalsIgnoreCase("NA") || text.equals("NaN")) {
      return Double.NaN;
    }
    if (text.equalsIgnoreCase("true")) {
      return 1.0;
    }
    if (text.equalsIgnoreCase("false")) {
      return 0.0;
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new CausalInputException(
          role
              + " column '"
              + column
              + "' row "
              + (row + 1)
              + ": value '"
              + text
              + "' is not a number");
    }
  }

  private static int checkLength(String name, int length, int expected) {
    if (expected >= 0 && length != expected) {
      throw new CausalInputException(
          "column '" + name + "' has " + length + " values, expected " + expected);
    }
    return length;
  }
}
