package io.terrafield.store.importers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Streaming reading of headed CSV files, plain or gzip-compressed (a name ending in {@code .gz}),
 * with named-column access and precise error messages.
 */
final class Csv {

  private static final CSVFormat FORMAT =
      CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();

  private Csv() {}

  /**
   * The records of {@code file}, read lazily; close the stream to close the file. Fails if a column
   * of {@code required} is absent from the header.
   */
  static Stream<CSVRecord> records(Path file, String... required) {
    if (!Files.isRegularFile(file)) {
      throw new ImportException("missing data file: " + file);
    }
    CSVParser parser;
    try {
      parser = CSVParser.builder().setReader(reader(file)).setFormat(FORMAT).get();
    } catch (IOException e) {
      throw new ImportException("cannot read " + file + ": " + e.getMessage(), e);
    }
    for (String column : required) {
      if (!parser.getHeaderMap().containsKey(column)) {
        closeQuietly(parser);
        throw new ImportException(
            file.getFileName()
                + ": missing column '"
                + column
                + "' in header "
                + parser.getHeaderNames());
      }
    }
    return parser.stream().onClose(() -> closeQuietly(parser));
  }

  /** A UTF-8 reader of {@code file}, decompressing it when its name ends in {@code .gz}. */
  private static BufferedReader reader(Path file) throws IOException {
    if (!file.getFileName().toString().endsWith(".gz")) {
      return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }
    InputStream in = Files.newInputStream(file);
    try {
      return new BufferedReader(
          new InputStreamReader(new GZIPInputStream(in, 1 << 16), StandardCharsets.UTF_8));
    } catch (IOException e) {
      in.close();
      throw new IOException("not a gzip file (" + e.getMessage() + ")", e);
    }
  }

  /** The number in {@code column}, or {@code null} when the field is empty or {@code missing}. */
  static Double number(Path file, CSVRecord record, String column, String missing) {
    String raw = record.get(column).trim();
    if (raw.isEmpty() || raw.equals(missing)) {
      return null;
    }
    try {
      double v = Double.parseDouble(raw);
      if (!Double.isFinite(v)) {
        throw ImportException.badValue(file, line(record), column, raw, "not a finite number");
      }
      return v;
    } catch (NumberFormatException e) {
      throw ImportException.badValue(file, line(record), column, raw, "not a number");
    }
  }

  static int integer(Path file, CSVRecord record, String column) {
    String raw = record.get(column).trim();
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw ImportException.badValue(file, line(record), column, raw, "not an integer");
    }
  }

  static double requiredNumber(Path file, CSVRecord record, String column) {
    Double v = number(file, record, column, null);
    if (v == null) {
      throw ImportException.badValue(file, line(record), column, "", "value required");
    }
    return v;
  }

  /** 1-based line number of the record in the file (the header is line 1). */
  static long line(CSVRecord record) {
    return record.getRecordNumber() + 1;
  }

  private static void closeQuietly(CSVParser parser) {
    try {
      parser.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
