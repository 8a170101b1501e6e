package io.terrafield.store.importers;

import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.Variable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the UCI "Beijing Multi-Site Air-Quality" data (Zhang et al. 2017): {@code stations.csv}
 * ({@code station,kdd2018_id,lon,lat}) and one {@code PRSA_Data_<station>_*.csv} per station with
 * hourly rows {@code No,year,month,day,hour,PM2.5,PM10,SO2,NO2,CO,O3,TEMP,PRES,DEWP,RAIN,wd,WSPM,
 * station}. A station file may be gzip-compressed ({@code PRSA_Data_<station>_*.csv.gz}, as in the
 * project's {@code demo-data}); there must be exactly one file per station.
 *
 * <p>Rules: the local time (China Standard Time, a fixed UTC+8 without daylight saving) becomes a
 * UTC instant; {@code NA} is a missing value (absent from {@link Observation#values()}); {@code wd}
 * is the wind direction; {@code WSPM} is {@link Variable#WSPM}; every observation has sample count
 * 1; stations belong to network {@value #NETWORK} and carry {@code kdd2018_id} as metadata. Values
 * are passed through as recorded (no plausibility checks: those belong to the sensor job).
 *
 * <p>Reading is streaming: a returned stream holds open files and must be closed (use
 * try-with-resources). Rows of a station file must be in time order (they are); a row that goes
 * back in time fails the stream with an {@link ImportException}. Instances are immutable and
 * thread-safe.
 */
public final class BeijingImporter {

  /** The network name of the Beijing stations. */
  public static final String NETWORK = "beijing";

  /** China Standard Time. */
  public static final ZoneOffset LOCAL_OFFSET = ZoneOffset.ofHours(8);

  private static final Map<Variable, String> COLUMNS = columns();
  private static final String WIND_DIRECTION = "wd";
  private static final String MISSING = "NA";

  private final Path directory;

  /**
   * An importer for the files in {@code directory} (e.g. {@code shared/data/airquality/beijing}).
   */
  public BeijingImporter(Path directory) {
    this.directory = directory;
  }

  /** The stations of {@code stations.csv}, in file order. */
  public List<Station> stations() {
    Path file = directory.resolve("stations.csv");
    try (Stream<CSVRecord> records = Csv.records(file, "station", "kdd2018_id", "lon", "lat")) {
      return records
          .map(
              r -> {
                String id = r.get("station").trim();
                double lon = Csv.requiredNumber(file, r, "lon");
                double lat = Csv.requiredNumber(file, r, "lat");
                try {
                  return new Station(
                      id, id, lon, lat, null, NETWORK, Map.of("kdd2018_id", r.get("kdd2018_id")));
                } catch (IllegalArgumentException e) {
                  throw new ImportException(
                      file.getFileName() + " line " + Csv.line(r) + ": " + e.getMessage(), e);
                }
              })
          .toList();
    }
  }

  /** All observations of one station, in time order. Close the stream. */
  public Stream<Observation> observations(String stationId) {
    return observations(stationId, null, null);
  }

  /**
   * The observations of one station with {@code from <= time < to} ({@code null} = unbounded), in
   * time order. Only the rows in that window are parsed and checked beyond their time. Close the
   * stream.
   *
   * @throws ImportException if there is no file for the station
   */
  public Stream<Observation> observations(String stationId, Instant from, Instant to) {
    Path file = stationFile(stationId);
    RowParser parser = new RowParser(file, stationId);
    Stream<CSVRecord> rows = Csv.records(file, requiredColumns());
    // Rows before `from` are skipped on their time alone (their values are not parsed).
    Stream<CSVRecord> started =
        from == null ? rows : rows.dropWhile(r -> parser.time(r).isBefore(from));
    Stream<Observation> all = started.map(parser::parse);
    return to == null ? all : all.takeWhile(o -> o.time().isBefore(to));
  }

  /**
   * The observations of all stations with {@code from <= time < to} ({@code null} = unbounded),
   * ordered by time and, within one time, by station id: a k-way merge of the station files that
   * holds one row per station in memory. This is the order a live feed would deliver. Close the
   * stream.
   */
  public Stream<Observation> observationsByTime(Instant from, Instant to) {
    List<Stream<Observation>> sources = new ArrayList<>();
    try {
      for (Station s : stations()) {
        sources.add(observations(s.id(), from, to));
      }
    } catch (RuntimeException e) {
      sources.forEach(Stream::close);
      throw e;
    }
    Iterator<Observation> merged = new MergeIterator(sources);
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(merged, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(() -> sources.forEach(Stream::close));
  }

  /**
   * The first and the last hour of the data: the earliest first row and the latest last row over
   * the station files. Reads every file through (about a second for the full 2013-2017 data).
   *
   * @throws ImportException if a station file is missing or has no rows
   */
  public Span span() {
    Instant first = null;
    Instant last = null;
    for (Station s : stations()) {
      Path file = stationFile(s.id());
      RowParser times = new RowParser(file, s.id());
      try (Stream<CSVRecord> rows = Csv.records(file, requiredColumns())) {
        Iterator<CSVRecord> it = rows.iterator();
        if (!it.hasNext()) {
          throw new ImportException(file.getFileName() + ": no rows");
        }
        CSVRecord head = it.next();
        CSVRecord tail = head;
        while (it.hasNext()) {
          tail = it.next();
        }
        Instant start = times.time(head);
        Instant end = times.time(tail);
        first = first == null || start.isBefore(first) ? start : first;
        last = last == null || end.isAfter(last) ? end : last;
      }
    }
    if (first == null) {
      throw new ImportException(directory.resolve("stations.csv") + ": no stations");
    }
    return new Span(first, last);
  }

  /**
   * The hours a data set covers.
   *
   * @param first the first hour with a row
   * @param last the last hour with a row (inclusive)
   */
  public record Span(Instant first, Instant last) {}

  private Path stationFile(String stationId) {
    String prefix = "PRSA_Data_" + stationId + "_";
    List<Path> matches = new ArrayList<>();
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(directory, prefix + "*.{csv,csv.gz}")) {
      files.forEach(matches::add);
    } catch (IOException e) {
      throw new ImportException("cannot list " + directory + ": " + e.getMessage(), e);
    }
    if (matches.size() != 1) {
      matches.sort(Comparator.naturalOrder());
      throw new ImportException(
          "expected exactly one file "
              + prefix
              + "*.csv or "
              + prefix
              + "*.csv.gz for station '"
              + stationId
              + "' in "
              + directory
              + ", found "
              + matches.size()
              + (matches.isEmpty()
                  ? ""
                  : ": " + matches.stream().map(p -> p.getFileName().toString()).toList()));
    }
    return matches.get(0);
  }

  private static String[] requiredColumns() {
    List<String> required =
        new ArrayList<>(List.of("year", "month", "day", "hour", WIND_DIRECTION, "station"));
    required.addAll(COLUMNS.values());
    return required.toArray(String[]::new);
  }

  private static Map<Variable, String> columns() {
    Map<Variable, String> m = new EnumMap<>(Variable.class);
    m.put(Variable.PM25, "PM2.5");
    m.put(Variable.PM10, "PM10");
    m.put(Variable.SO2, "SO2");
    m.put(Variable.NO2, "NO2");
    m.put(Variable.CO, "CO");
    m.put(Variable.O3, "O3");
    m.put(Variable.TEMP, "TEMP");
    m.put(Variable.PRES, "PRES");
    m.put(Variable.DEWP, "DEWP");
    m.put(Variable.RAIN, "RAIN");
    m.put(Variable.WSPM, "WSPM");
    return m;
  }

  /** Parses the rows of one station file and checks that time never goes backwards. */
  private static final class RowParser {
    private final Path file;
    private final String stationId;
    private Instant previous;

    RowParser(Path file, String stationId) {
      this.file = file;
      this.stationId = stationId;
    }

    Observation parse(CSVRecord r) {
      String station = r.get("station").trim();
      if (!station.equals(stationId)) {
        throw ImportException.badValue(
            file, Csv.line(r), "station", station, "expected station '" + stationId + "'");
      }
      Instant time = time(r);
      if (previous != null && !time.isAfter(previous)) {
        throw ImportException.badValue(
            file,
            Csv.line(r),
            "year/month/day/hour",
            time.toString(),
            "rows out of time order (previous row " + previous + ")");
      }
      previous = time;
      Map<Variable, Double> values = new EnumMap<>(Variable.class);
      COLUMNS.forEach((v, column) -> values.put(v, Csv.number(file, r, column, MISSING)));
      String wd = r.get(WIND_DIRECTION).trim();
      return new Observation(
          stationId, time, values, wd.isEmpty() || wd.equals(MISSING) ? null : wd, 1);
    }

    private Instant time(CSVRecord r) {
      int year = Csv.integer(file, r, "year");
      int month = Csv.integer(file, r, "month");
      int day = Csv.integer(file, r, "day");
      int hour = Csv.integer(file, r, "hour");
      try {
        return LocalDateTime.of(year, month, day, hour, 0).toInstant(LOCAL_OFFSET);
      } catch (DateTimeException e) {
        throw ImportException.badValue(
            file,
            Csv.line(r),
            "year/month/day/hour",
            year + "-" + month + "-" + day + " " + hour,
            "not a valid local time");
      }
    }
  }

  /** Merges time-ordered streams into one, ordered by (time, station id). */
  private static final class MergeIterator implements Iterator<Observation> {
    private record Head(Observation observation, Iterator<Observation> rest) {}

    private final PriorityQueue<Head> heads =
        new PriorityQueue<>(
            Comparator.comparing((Head h) -> h.observation().time())
                .thenComparing(h -> h.observation().stationId()));
    private final List<Iterator<Observation>> pending = new ArrayList<>();

    MergeIterator(List<Stream<Observation>> sources) {
      sources.forEach(s -> pending.add(s.iterator()));
    }

    @Override
    public boolean hasNext() {
      fill();
      return !heads.isEmpty();
    }

    @Override
    public Observation next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Head head = heads.poll();
      pending.add(head.rest());
      return head.observation();
    }

    /** Lazily pulls the next row of every source whose head was consumed. */
    private void fill() {
      for (Iterator<Observation> it : pending) {
        if (it.hasNext()) {
          heads.add(new Head(it.next(), it));
        }
      }
      pending.clear();
    }
  }
}
