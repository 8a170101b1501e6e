package io.terrafield.store.cli;

import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.importers.BeijingImporter;
import io.terrafield.store.importers.GermanyImporter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code terrafield store import}: upserts a real data set (idempotent: rerunning is harmless). */
@Command(
    name = "import",
    description =
        "Import the stations and observations of a real data set into the store (idempotent).",
    mixinStandardHelpOptions = true)
public class ImportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin StoreOptions store = new StoreOptions();

  @Option(
      names = "--dataset",
      required = true,
      description = "beijing (hourly, 12 stations) or germany (daily PM10, 70 stations).")
  String dataset;

  @Option(
      names = "--data",
      description =
          "Folder laid out like shared/data/airquality/<dataset>"
              + " (default: ../shared/data/airquality/<dataset>).")
  Path data;

  @Option(
      names = "--from",
      description = "First time to import: yyyy-MM-dd (00:00 UTC) or an ISO instant.")
  String from;

  @Option(names = "--to", description = "End of the import (exclusive), same formats as --from.")
  String to;

  @Option(
      names = "--batch",
      defaultValue = "2000",
      description = "Observations per upsert transaction (default: ${DEFAULT-VALUE}).")
  int batch;

  public ImportCommand() {}

  @Override
  public Integer call() {
    String name = dataset.toLowerCase(Locale.ROOT);
    if (!name.equals("beijing") && !name.equals("germany")) {
      throw new IllegalArgumentException(
          "--dataset must be beijing or germany, was '" + dataset + "'");
    }
    if (batch < 1) {
      throw new IllegalArgumentException("--batch must be >= 1, was " + batch);
    }
    Instant start = instant("--from", from);
    Instant end = instant("--to", to);
    if (start != null && end != null && !start.isBefore(end)) {
      throw new IllegalArgumentException("--from " + from + " must be before --to " + to);
    }
    Path dir = data != null ? data : Path.of("..", "shared", "data", "airquality", name);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--data: not a directory: " + dir.toAbsolutePath());
    }
    List<Station> stations;
    Stream<Observation> observations;
    if (name.equals("beijing")) {
      BeijingImporter importer = new BeijingImporter(dir);
      stations = importer.stations();
      observations = importer.observationsByTime(start, end);
    } else {
      GermanyImporter importer = new GermanyImporter(dir);
      stations = importer.stations();
      observations = importer.observations(start, end);
    }
    long started = System.nanoTime();
    long written = 0;
    long total;
    try (TerrafieldStore target = store.open();
        Stream<Observation> rows = observations) {
      target.upsertStations(stations);
      try (ProgressBar progress =
          new ProgressBarBuilder()
              .setTaskName("import " + name)
              .setUnit(" rows", 1)
              .setStyle(ProgressBarStyle.ASCII)
              .showSpeed()
              .build()) {
        List<Observation> pending = new ArrayList<>(batch);
        for (Observation o : (Iterable<Observation>) rows::iterator) {
          pending.add(o);
          if (pending.size() == batch) {
            written += target.upsertObservations(pending);
            progress.stepBy(pending.size());
            pending.clear();
          }
        }
        written += target.upsertObservations(pending);
        progress.stepBy(pending.size());
      }
      total = target.countObservations();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "imported %d stations and %d observations of %s into %s in %.1f s (%.0f rows/s);"
            + " the store holds %d observations%n",
        stations.size(),
        written,
        name,
        store.jdbcUrl,
        seconds,
        written / Math.max(seconds, 1e-9),
        total);
    out.flush();
    return 0;
  }

  private static Instant instant(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      if (value.length() == 10) {
        return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          option
              + " must be yyyy-MM-dd or an ISO instant (2014-01-01T00:00:00Z), was '"
              + value
              + "'");
    }
  }
}
