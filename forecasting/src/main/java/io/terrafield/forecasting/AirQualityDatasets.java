package io.terrafield.forecasting;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readers of the two real air-quality data sets, laid out as in {@code shared/data/airquality}.
 *
 * <ul>
 *   <li>{@code beijing}: {@code PRSA_Data_<Station>_*.csv} (hourly, local time UTC+8, {@code NA}
 *       missing) with {@code stations.csv} ({@code station,kdd2018_id,lon,lat}).
 *   <li>{@code germany}: {@code pm10_daily_*.csv} ({@code station_id,date,<target>}, empty =
 *       missing) with {@code stations.csv} ({@code station_id,...,lon,lat,...}).
 * </ul>
 *
 * <p>Values outside the target's plausible range (the same ranges as the sensor stream's
 * validation: {@code store.Variable}, {@code ingest.ReadingValidator}), such as a {@code -999}
 * missing-value sentinel or a negative concentration, are treated as missing and reported with
 * file, row, column and value ({@link Read#implausible()}; {@link #read} logs them).
 *
 * <p>Any date range is accepted; the grid spans the first to the last time present. Thread-safe
 * (stateless).
 */
public final class AirQualityDatasets {
  private static final Logger LOG = LoggerFactory.getLogger(AirQualityDatasets.class);

  /** Logged one by one up to this many, then only counted. */
  private static final int LOGGED = 10;

  /**
   * Plausible ranges by normalised column name (lower case, letters and digits only, a trailing
   * unit {@code ugm3} removed): concentrations in µg/m³, TEMP/DEWP in °C, PRES in hPa, RAIN in mm,
   * WSPM in m/s. Kept equal to {@code io.terrafield.store.Variable}'s ranges (forecasting depends
   * on no other module).
   */
  static final Map<String, double[]> PLAUSIBLE =
      Map.ofEntries(
          Map.entry("pm25", new double[] {0, 2000}),
          Map.entry("pm10", new double[] {0, 3000}),
          Map.entry("no2", new double[] {0, 1000}),
          Map.entry("so2", new double[] {0, 1000}),
          Map.entry("co", new double[] {0, 20000}),
          Map.entry("o3", new double[] {0, 1000}),
          Map.entry("temp", new double[] {-60, 60}),
          Map.entry("pres", new double[] {850, 1100}),
          Map.entry("dewp", new double[] {-70, 40}),
          Map.entry("rain", new double[] {0, 300}),
          Map.entry("wspm", new double[] {0, 60}));

  private AirQualityDatasets() {}

  /**
   * A value outside its column's plausible range, read as missing.
   *
   * @param file the file
   * @param row the CSV record number (1 = first data row)
   * @param column the column
   * @param value the value as written
   * @param range the plausible range [min, max]
   */
  public record Implausible(Path file, long row, String column, String value, double[] range) {
    /** E.g. {@code pm10_daily_2007.csv row 9: pm10_ugm3 -999 is outside the plausible range …}. */
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%s row %d: %s %s is outside the plausible range [%s, %s]; read as missing",
          file,
          row,
          column,
          value,
          strip(range[0]),
          strip(range[1]));
    }
  }

  /**
   * A data set as read.
   *
   * @param series the values; implausible ones are NaN (missing)
   * @param implausible the values read as missing because they are outside the plausible range
   */
  public record Read(SpaceTimeSeries series, List<Implausible> implausible) {}

  /**
   * Reads {@code dataset} ("beijing" or "germany") from {@code dir}, column {@code target}, and
   * logs implausible values (read as missing) with file, row, column and value.
   *
   * @throws ForecastingException naming the file, column or value when the input is bad
   */
  public static SpaceTimeSeries read(String dataset, Path dir, String target) {
    Read read = readChecked(dataset, dir, target);
    List<Implausible> implausible = read.implausible();
    for (Implausible i : implausible.subList(0, Math.min(LOGGED, implausible.size()))) {
      LOG.warn("{}", i);
    }
    if (!implausible.isEmpty()) {
      LOG.warn(
          "{}: {} values outside the plausible range of '{}' (e.g. a -999 sentinel) rejected and"
              + " read as missing",
          dir,
          implausible.size(),
          target);
    }
    return read.series();
  }

  /**
   * Reads {@code dataset} ("beijing" or "germany") from {@code dir}, column {@code target}; values
   * outside the target's plausible range become missing and are listed in the result.
   *
   * @throws ForecastingException naming the file, column or value when the input is bad
   */
  public static Read readChecked(String dataset, Path dir, String target) {
    if (!Files.isDirectory(dir)) {
      throw new ForecastingException("data: directory " + dir + " does not exist");
    }
    List<Implausible> implausible = new ArrayList<>();
    SpaceTimeSeries series =
        switch (dataset.toLowerCase(Locale.ROOT)) {
          case "beijing" -> readBeijing(dir, target, implausible);
          case "germany" -> readGermany(dir, target, implausible);
          default ->
              throw new ForecastingException(
                  "dataset: expected beijing or germany, got '" + dataset + "'");
        };
    return new Read(series, List.copyOf(implausible));
  }

  /** The plausible range of a column, or null when the column is not a known variable. */
  static double[] plausibleRange(String column) {
    String key = column.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    if (key.endsWith("ugm3")) {
      key = key.substring(0, key.length() - 4);
    }
    return PLAUSIBLE.get(key);
  }

  /** A target value: NaN when missing or implausible (then recorded). */
  private static double parseValue(
      String text, Path file, String column, long row, List<Implausible> implausible) {
    double value = parseNumber(text, file, column, row);
    if (Double.isNaN(value)) {
      return value;
    }
    double[] range = plausibleRange(column);
    if (Double.isInfinite(value) || (range != null && (value < range[0] || value > range[1]))) {
      implausible.add(
          new Implausible(
              file,
              row,
              column,
              text.trim(),
              range == null
                  ? new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}
                  : range));
      return Double.NaN;
    }
    return value;
  }

  private static String strip(double x) {
    return x == Math.rint(x) && !Double.isInfinite(x)
        ? Long.toString((long) x)
        : Double.toString(x);
  }

  /** Whether a data file is CSV, plain ({@code .csv}) or gzip-compressed ({@code .csv.gz}). */
  private static boolean isCsv(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".csv") || name.endsWith(".csv.gz");
  }

  /** A UTF-8 reader of a plain or gzip-compressed ({@code .gz}) file. */
  private static Reader open(Path file) throws IOException {
    if (file.getFileName().toString().endsWith(".gz")) {
      return new java.io.BufferedReader(
          new java.io.InputStreamReader(
              new java.util.zip.GZIPInputStream(Files.newInputStream(file), 1 << 16),
              StandardCharsets.UTF_8));
    }
    return Files.newBufferedReader(file, StandardCharsets.UTF_8);
  }

  private static CSVParser parse(Reader reader) throws IOException {
    return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader);
  }

  private static Map<String, Station> readStations(Path file, String idColumn) {
    if (!Files.isRegularFile(file)) {
      throw new ForecastingException("data: missing station file " + file);
    }
    Map<String, Station> stations = new LinkedHashMap<>();
    try (Reader reader = open(file);
        CSVParser parser = parse(reader)) {
      for (String column : List.of(idColumn, "lon", "lat")) {
        if (!parser.getHeaderMap().containsKey(column)) {
          throw new ForecastingException(file + ": missing column '" + column + "'");
        }
      }
      for (CSVRecord row : parser) {
        String id = row.get(idColumn);
        stations.put(
            id,
            new Station(
                id,
                parseNumber(row.get("lon"), file, "lon", row.getRecordNumber()),
                parseNumber(row.get("lat"), file, "lat", row.getRecordNumber())));
      }
    } catch (IOException e) {
      throw new ForecastingException("data: cannot read " + file + ": " + e.getMessage(), e);
    }
    return stations;
  }

  private static double parseNumber(String text, Path file, String column, long row) {
    if (text == null || text.isBlank() || text.equals("NA")) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new ForecastingException(
          file + " row " + row + ": column '" + column + "' is not a number: '" + text + "'");
    }
  }

  private static SpaceTimeSeries readBeijing(
      Path dir, String target, List<Implausible> implausible) {
    Map<String, Station> stations = readStations(dir.resolve("stations.csv"), "station");
    Map<String, Map<LocalDateTime, Double>> byStation = new LinkedHashMap<>();
    LocalDateTime first = null;
    LocalDateTime last = null;
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.filter(p -> p.getFileName().toString().startsWith("PRSA_Data_"))
              .filter(p -> isCsv(p))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new ForecastingException("data: cannot list " + dir + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new ForecastingException("data: no PRSA_Data_*.csv or .csv.gz files in " + dir);
    }
    for (Path file : files) {
      try (Reader reader = open(file);
          CSVParser parser = parse(reader)) {
        if (!parser.getHeaderMap().containsKey(target)) {
          throw new ForecastingException(
              "target: column '"
                  + target
                  + "' not in "
                  + file
                  + " (columns: "
                  + parser.getHeaderNames()
                  + ")");
        }
        for (CSVRecord row : parser) {
          String station = row.get("station");
          if (!stations.containsKey(station)) {
            throw new ForecastingException(
                file
                    + " row "
                    + row.getRecordNumber()
                    + ": station '"
                    + station
                    + "' is not in stations.csv");
          }
          LocalDateTime time =
              LocalDateTime.of(
                  Integer.parseInt(row.get("year")),
                  Integer.parseInt(row.get("month")),
                  Integer.parseInt(row.get("day")),
                  Integer.parseInt(row.get("hour")),
                  0);
          double value =
              parseValue(row.get(target), file, target, row.getRecordNumber(), implausible);
          byStation.computeIfAbsent(station, k -> new LinkedHashMap<>()).put(time, value);
          first = first == null || time.isBefore(first) ? time : first;
          last = last == null || time.isAfter(last) ? time : last;
        }
      } catch (IOException e) {
        throw new ForecastingException("data: cannot read " + file + ": " + e.getMessage(), e);
      } catch (NumberFormatException e) {
        throw new ForecastingException(file + ": bad year/month/day/hour: " + e.getMessage(), e);
      }
    }
    return toGrid(target, stations, byStation, first, last, Duration.ofHours(1));
  }

  private static SpaceTimeSeries readGermany(
      Path dir, String target, List<Implausible> implausible) {
    Map<String, Station> stations = readStations(dir.resolve("stations.csv"), "station_id");
    Path file;
    try (Stream<Path> list = Files.list(dir)) {
      file =
          list.filter(p -> p.getFileName().toString().startsWith("pm10_daily"))
              .filter(p -> isCsv(p))
              .findFirst()
              .orElseThrow(() -> new ForecastingException("data: no pm10_daily*.csv in " + dir));
    } catch (IOException e) {
      throw new ForecastingException("data: cannot list " + dir + ": " + e.getMessage(), e);
    }
    Map<String, Map<LocalDateTime, Double>> byStation = new LinkedHashMap<>();
    LocalDateTime first = null;
    LocalDateTime last = null;
    try (Reader reader = open(file);
        CSVParser parser = parse(reader)) {
      if (!parser.getHeaderMap().containsKey(target)) {
        throw new ForecastingException(
            "target: column '"
                + target
                + "' not in "
                + file
                + " (columns: "
                + parser.getHeaderNames()
                + ")");
      }
      for (CSVRecord row : parser) {
        String station = row.get("station_id");
        if (!stations.containsKey(station)) {
          throw new ForecastingException(
              file
                  + " row "
                  + row.getRecordNumber()
                  + ": station_id '"
                  + station
                  + "' is not in stations.csv");
        }
        LocalDateTime time;
        try {
          time = LocalDate.parse(row.get("date")).atStartOfDay();
        } catch (java.time.format.DateTimeParseException e) {
          throw new ForecastingException(
              file + " row " + row.getRecordNumber() + ": bad date '" + row.get("date") + "'");
        }
        double value =
            parseValue(row.get(target), file, target, row.getRecordNumber(), implausible);
        byStation.computeIfAbsent(station, k -> new LinkedHashMap<>()).put(time, value);
        first = first == null || time.isBefore(first) ? time : first;
        last = last == null || time.isAfter(last) ? time : last;
      }
    } catch (IOException e) {
      throw new ForecastingException("data: cannot read " + file + ": " + e.getMessage(), e);
    }
    return toGrid(target, stations, byStation, first, last, Duration.ofDays(1));
  }

  private static SpaceTimeSeries toGrid(
      String target,
      Map<String, Station> stations,
      Map<String, Map<LocalDateTime, Double>> byStation,
      LocalDateTime first,
      LocalDateTime last,
      Duration step) {
    if (first == null) {
      throw new ForecastingException("data: no rows for target '" + target + "'");
    }
    int length = (int) (Duration.between(first, last).getSeconds() / step.getSeconds()) + 1;
    List<Station> used = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    for (Map.Entry<String, Map<LocalDateTime, Double>> entry : byStation.entrySet()) {
      double[] row = new double[length];
      java.util.Arrays.fill(row, Double.NaN);
      for (Map.Entry<LocalDateTime, Double> cell : entry.getValue().entrySet()) {
        int t = (int) (Duration.between(first, cell.getKey()).getSeconds() / step.getSeconds());
        row[t] = cell.getValue();
      }
      used.add(stations.get(entry.getKey()));
      rows.add(row);
    }
    return new SpaceTimeSeries(target, used, first, step, rows.toArray(double[][]::new));
  }
}
