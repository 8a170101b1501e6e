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
 * <p>Any date range is accepted; the grid spans the first to the last time present. Thread-safe
 * (stateless).
 */
public final class AirQualityDatasets {
  private AirQualityDatasets() {}

  /**
   * Reads {@code dataset} ("beijing" or "germany") from {@code dir}, column {@code target}.
   *
   * @throws ForecastingException naming the file, column or value when the input is bad
   */
  public static SpaceTimeSeries read(String dataset, Path dir, String target) {
    if (!Files.isDirectory(dir)) {
      throw new ForecastingException("data: directory " + dir + " does not exist");
    }
    return switch (dataset.toLowerCase(Locale.ROOT)) {
      case "beijing" -> readBeijing(dir, target);
      case "germany" -> readGermany(dir, target);
      default ->
          throw new ForecastingException(
              "dataset: expected beijing or germany, got '" + dataset + "'");
    };
  }

  private static CSVParser parse(Reader reader) throws IOException {
    return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader);
  }

  private static Map<String, Station> readStations(Path file, String idColumn) {
    if (!Files.isRegularFile(file)) {
      throw new ForecastingException("data: missing station file " + file);
    }
    Map<String, Station> stations = new LinkedHashMap<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
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

  private static SpaceTimeSeries readBeijing(Path dir, String target) {
    Map<String, Station> stations = readStations(dir.resolve("stations.csv"), "station");
    Map<String, Map<LocalDateTime, Double>> byStation = new LinkedHashMap<>();
    LocalDateTime first = null;
    LocalDateTime last = null;
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.filter(p -> p.getFileName().toString().startsWith("PRSA_Data_"))
              .filter(p -> p.getFileName().toString().endsWith(".csv"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new ForecastingException("data: cannot list " + dir + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new ForecastingException("data: no PRSA_Data_*.csv files in " + dir);
    }
    for (Path file : files) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
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
          double value = parseNumber(row.get(target), file, target, row.getRecordNumber());
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

  private static SpaceTimeSeries readGermany(Path dir, String target) {
    Map<String, Station> stations = readStations(dir.resolve("stations.csv"), "station_id");
    Path file;
    try (Stream<Path> list = Files.list(dir)) {
      file =
          list.filter(p -> p.getFileName().toString().startsWith("pm10_daily"))
              .filter(p -> p.getFileName().toString().endsWith(".csv"))
              .findFirst()
              .orElseThrow(() -> new ForecastingException("data: no pm10_daily*.csv in " + dir));
    } catch (IOException e) {
      throw new ForecastingException("data: cannot list " + dir + ": " + e.getMessage(), e);
    }
    Map<String, Map<LocalDateTime, Double>> byStation = new LinkedHashMap<>();
    LocalDateTime first = null;
    LocalDateTime last = null;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
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
        double value = parseNumber(row.get(target), file, target, row.getRecordNumber());
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
