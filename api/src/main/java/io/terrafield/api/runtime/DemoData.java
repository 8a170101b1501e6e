package io.terrafield.api.runtime;

import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.importers.BeijingImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real data the runtime replays: {@code airquality/beijing} under a data folder laid out like
 * shared/data. {@link #resolve} picks, in order: the given folder; the system property {@code
 * terrafield.data}; {@code ../shared/data}; the real slice shipped in {@code ./demo-data}
 * (2015-01-01 .. 2016-02-29, gzip-compressed).
 */
public final class DemoData {

  private final Path root;
  private final BeijingImporter beijing;

  private DemoData(Path root) {
    this.root = root;
    this.beijing = root == null ? null : new BeijingImporter(root.resolve("airquality/beijing"));
  }

  private BeijingImporter beijing() {
    if (beijing == null) {
      throw new IllegalStateException(
          "terrafield.data: no data folder is configured (a deployment without replay reads its"
              + " stations from the store)");
    }
    return beijing;
  }

  /**
   * No data folder: what a deployment that neither replays nor runs embedded has (stations come
   * from the store, imported with {@code terrafield store import}). Every read fails naming {@code
   * terrafield.data}.
   */
  public static DemoData none() {
    return new DemoData(null);
  }

  /** Resolves the data folder (see the class comment); fails naming the folder when unusable. */
  public static DemoData resolve(Path configured) {
    if (configured != null) {
      return checked(configured, "terrafield.data");
    }
    String property = System.getProperty("terrafield.data");
    if (property != null && !property.isBlank()) {
      return checked(Path.of(property), "terrafield.data");
    }
    for (Path candidate : List.of(Path.of("../shared/data"), Path.of("demo-data"))) {
      if (Files.isDirectory(candidate.resolve("airquality/beijing"))) {
        return new DemoData(candidate.toAbsolutePath().normalize());
      }
    }
    throw new IllegalArgumentException(
        "terrafield.data: no data folder found (tried ../shared/data and ./demo-data); pass"
            + " --data DIR with airquality/beijing inside");
  }

  private static DemoData checked(Path root, String field) {
    if (!Files.isDirectory(root.resolve("airquality/beijing"))) {
      throw new IllegalArgumentException(
          field + ": '" + root + "' has no airquality/beijing folder");
    }
    return new DemoData(root.toAbsolutePath().normalize());
  }

  public Path root() {
    return root;
  }

  public List<Station> stations() {
    return beijing().stations();
  }

  /**
   * The Beijing observations, ordered by time, from {@code from} (local time, UTC+8, ISO like
   * {@code 2015-01-01T00:00}; {@code null} = the start) to before {@code to}. The stream holds open
   * files: close it.
   */
  public Stream<Observation> observations(String from, String to) {
    return beijing().observationsByTime(localTime("from", from), localTime("to", to));
  }

  /**
   * The Beijing observations with {@code from <= time < to} ({@code null} = unbounded), ordered by
   * time and station id. The stream holds open files: close it.
   */
  public Stream<Observation> observations(Instant from, Instant to) {
    return beijing().observationsByTime(from, to);
  }

  /** The first and the last hour of the Beijing data (reads the files through). */
  public BeijingImporter.Span span() {
    return beijing().span();
  }

  public String describe() {
    return root == null
        ? "no data folder"
        : "the Beijing hourly data in " + root.resolve("airquality/beijing");
  }

  private static Instant localTime(String field, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return LocalDateTime.parse(text).toInstant(BeijingImporter.LOCAL_OFFSET);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          field + ": '" + text + "' is not a local date-time like 2015-01-01T00:00");
    }
  }
}
