package io.terrafield.store.importers;

import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.Variable;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the German AirBase rural background PM10 data (the {@code air} data of the R package
 * spacetime): {@code stations.csv} ({@code station_id,name,lon,lat,altitude_m,start_date,end_date,
 * type_of_area,rural_subcategory,state_nuts1,state_match,n_days_observed}) and {@code
 * pm10_daily_1998_2008.csv} ({@code station_id,date,pm10_ugm3}, the full station × day grid).
 *
 * <p>Rules: an empty field is a missing value, and a day without a PM10 value yields no
 * observation; a day becomes the instant at 00:00 UTC that starts it; every observation has sample
 * count 1 (one daily mean); stations belong to network {@value #NETWORK}, keep their altitude and
 * carry the other non-empty columns as metadata; a station without a name is named by its id.
 *
 * <p>Streams hold an open file and must be closed. Instances are immutable and thread-safe.
 */
public final class GermanyImporter {

  /** The network name of the German stations. */
  public static final String NETWORK = "germany";

  /** The file with the daily PM10 grid. */
  public static final String PM10_FILE = "pm10_daily_1998_2008.csv";

  private static final List<String> METADATA_COLUMNS =
      List.of(
          "start_date",
          "end_date",
          "type_of_area",
          "rural_subcategory",
          "state_nuts1",
          "state_match",
          "n_days_observed");

  private final Path directory;

  /**
   * An importer for the files in {@code directory} (e.g. {@code shared/data/airquality/germany}).
   */
  public GermanyImporter(Path directory) {
    this.directory = directory;
  }

  /** The stations of {@code stations.csv}, in file order. */
  public List<Station> stations() {
    Path file = directory.resolve("stations.csv");
    try (Stream<CSVRecord> records =
        Csv.records(file, "station_id", "name", "lon", "lat", "altitude_m")) {
      return records.map(r -> station(file, r)).toList();
    }
  }

  /** All daily PM10 observations in file order (station by station, day by day). Close it. */
  public Stream<Observation> observations() {
    return observations(null, null);
  }

  /**
   * The daily PM10 observations with {@code from <= time < to} ({@code null} = unbounded), in file
   * order. Close the stream.
   */
  public Stream<Observation> observations(Instant from, Instant to) {
    Path file = directory.resolve(PM10_FILE);
    return Csv.records(file, "station_id", "date", "pm10_ugm3")
        .map(r -> observation(file, r))
        .filter(Objects::nonNull)
        .filter(o -> from == null || !o.time().isBefore(from))
        .filter(o -> to == null || o.time().isBefore(to));
  }

  private static Station station(Path file, CSVRecord r) {
    Map<String, String> metadata = new LinkedHashMap<>();
    for (String column : METADATA_COLUMNS) {
      if (r.isMapped(column) && !r.get(column).isBlank()) {
        metadata.put(column, r.get(column).trim());
      }
    }
    try {
      return new Station(
          r.get("station_id").trim(),
          r.get("name").trim(),
          Csv.requiredNumber(file, r, "lon"),
          Csv.requiredNumber(file, r, "lat"),
          Csv.number(file, r, "altitude_m", null),
          NETWORK,
          metadata);
    } catch (IllegalArgumentException e) {
      throw new ImportException(
          file.getFileName() + " line " + Csv.line(r) + ": " + e.getMessage(), e);
    }
  }

  /** The observation of one row, or {@code null} when its value is missing. */
  private static Observation observation(Path file, CSVRecord r) {
    Double pm10 = Csv.number(file, r, "pm10_ugm3", null);
    if (pm10 == null) {
      return null;
    }
    String date = r.get("date").trim();
    Instant time;
    try {
      time = LocalDate.parse(date).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw ImportException.badValue(file, Csv.line(r), "date", date, "not a date (yyyy-MM-dd)");
    }
    String stationId = r.get("station_id").trim();
    if (stationId.isEmpty()) {
      throw ImportException.badValue(file, Csv.line(r), "station_id", "", "value required");
    }
    return new Observation(stationId, time, Map.of(Variable.PM10, pm10), null, 1);
  }
}
