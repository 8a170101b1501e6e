package io.terrafield.imagery.cli;

import io.terrafield.imagery.BufferStatistics;
import io.terrafield.imagery.GeoRaster;
import io.terrafield.imagery.RasterReadException;
import io.terrafield.imagery.Rasters;
import io.terrafield.imagery.SamplingMethod;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code imagery sample}: raster values (or buffer statistics) at the points of a CSV file. The
 * output repeats every input column and appends, per band, the sampled value ({@code <band>}) or,
 * with {@code --buffer-m}, {@code <band>_mean,_std,_min,_max,_n}. Points outside the raster or on
 * nodata get empty cells (or an error with {@code --strict}).
 */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    description = "Sample a GeoTIFF at the points of a CSV (columns lon, lat, ...).")
final class SampleCommand implements Callable<Integer> {
  private static final int CHUNK = 10_000;

  @Spec CommandSpec spec;

  @Option(names = "--raster", required = true, paramLabel = "TIF", description = "GeoTIFF file")
  Path raster;

  @Option(
      names = "--points",
      required = true,
      paramLabel = "CSV",
      description = "CSV with a header holding lon and lat (or longitude/latitude) columns")
  Path points;

  @Option(names = "--out", required = true, paramLabel = "CSV", description = "output CSV")
  Path out;

  @Option(
      names = "--buffer-m",
      paramLabel = "M",
      description = "buffer radius in metres: write mean, std, min, max, n per band")
  Double bufferMetres;

  @Option(
      names = "--method",
      defaultValue = "nearest",
      paramLabel = "nearest|bilinear",
      description = "point sampling method (default ${DEFAULT-VALUE})")
  String method;

  @Option(
      names = "--bands",
      split = ",",
      paramLabel = "BAND",
      description = "band names or 1-based numbers (default: all)")
  List<String> bands;

  @Option(
      names = "--where",
      paramLabel = "COLUMN=VALUE",
      description = "keep only rows whose COLUMN equals VALUE (case-insensitive); repeatable")
  List<String> where;

  @Option(names = "--strict", description = "a point outside the raster is an error")
  boolean strict;

  @Override
  public Integer call() throws IOException {
    SamplingMethod sampling = parseMethod(method);
    if (bufferMetres != null && !(bufferMetres >= 0 && Double.isFinite(bufferMetres))) {
      return ImageryCommand.fail(
          spec, "--buffer-m must be a finite number >= 0, got " + bufferMetres);
    }
    Map<String, String> filters = parseWhere(where);
    if (!Files.isRegularFile(points)) {
      return ImageryCommand.fail(spec, "--points: file not found: " + points);
    }
    GeoRaster map;
    try {
      map = Rasters.open(raster);
    } catch (RasterReadException e) {
      return ImageryCommand.fail(spec, "--raster: " + e.getMessage() + " [" + e.reason() + "]");
    }
    List<Integer> bandIndices = resolveBands(map, bands);
    PointTable table = PointTable.read(points, filters);
    int n = table.size();
    if (strict) {
      for (int i = 0; i < n; i++) {
        map.requireInside("row " + table.lineNumber(i), table.lon(i), table.lat(i));
      }
    }
    List<String> header = new ArrayList<>(table.header());
    for (int b : bandIndices) {
      String name = map.info().bandNames().get(b);
      if (bufferMetres == null) {
        header.add(name);
      } else {
        for (String s : new String[] {"mean", "std", "min", "max", "n"}) {
          header.add(name + "_" + s);
        }
      }
    }
    String[][] added = new String[n][];
    int outside = 0;
    int empty = 0;
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("sampling")
            .setInitialMax(n)
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .build()) {
      for (int start = 0; start < n; start += CHUNK) {
        int end = Math.min(n, start + CHUNK);
        double[] lons = table.lons(start, end);
        double[] lats = table.lats(start, end);
        List<Object> columns = new ArrayList<>();
        for (int b : bandIndices) {
          columns.add(
              bufferMetres == null
                  ? map.sample(b, lons, lats, sampling)
                  : map.bufferStatistics(b, lons, lats, bufferMetres));
        }
        for (int i = start; i < end; i++) {
          List<String> row = new ArrayList<>();
          boolean anyValue = false;
          for (Object column : columns) {
            if (column instanceof double[] values) {
              double v = values[i - start];
              anyValue |= !Double.isNaN(v);
              row.add(format(v));
            } else {
              BufferStatistics s = ((BufferStatistics[]) column)[i - start];
              anyValue |= s.validCount() > 0;
              row.add(format(s.mean()));
              row.add(format(s.std()));
              row.add(format(s.min()));
              row.add(format(s.max()));
              row.add(Integer.toString(s.validCount()));
            }
          }
          if (!map.contains(lons[i - start], lats[i - start])) {
            outside++;
          } else if (!anyValue) {
            empty++;
          }
          added[i] = row.toArray(String[]::new);
        }
        bar.stepTo(end);
      }
    }
    try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        CSVPrinter printer =
            CSVFormat.DEFAULT
                .builder()
                .setHeader(header.toArray(String[]::new))
                .get()
                .print(writer)) {
      for (int i = 0; i < n; i++) {
        List<String> row = new ArrayList<>(table.values(i));
        row.addAll(List.of(added[i]));
        printer.printRecord(row);
      }
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf(
        Locale.ROOT,
        "sampled %d points (%s) from %s [%s, %dx%d, bands %s] -> %s%n",
        n,
        bufferMetres == null
            ? sampling.name().toLowerCase(Locale.ROOT)
            : "buffer " + bufferMetres + " m",
        raster.getFileName(),
        map.info().crsCode(),
        map.width(),
        map.height(),
        bandIndices.stream().map(b -> map.info().bandNames().get(b)).toList(),
        out);
    stdout.printf(
        Locale.ROOT,
        "with values: %d, on nodata: %d, outside the raster: %d%n",
        n - outside - empty,
        empty,
        outside);
    stdout.flush();
    return 0;
  }

  static SamplingMethod parseMethod(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "nearest" -> SamplingMethod.NEAREST;
      case "bilinear" -> SamplingMethod.BILINEAR;
      default ->
          throw new IllegalArgumentException(
              "--method must be nearest or bilinear, got '" + text + "'");
    };
  }

  static Map<String, String> parseWhere(List<String> clauses) {
    Map<String, String> filters = new LinkedHashMap<>();
    if (clauses != null) {
      for (String clause : clauses) {
        int eq = clause.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("--where must be COLUMN=VALUE, got '" + clause + "'");
        }
        filters.put(clause.substring(0, eq).trim(), clause.substring(eq + 1).trim());
      }
    }
    return filters;
  }

  static List<Integer> resolveBands(GeoRaster map, List<String> requested) {
    List<Integer> indices = new ArrayList<>();
    if (requested == null || requested.isEmpty()) {
      for (int b = 0; b < map.bandCount(); b++) {
        indices.add(b);
      }
      return indices;
    }
    for (String band : requested) {
      String name = band.trim();
      if (name.matches("\\d+")) {
        int number = Integer.parseInt(name);
        if (number < 1 || number > map.bandCount()) {
          throw new IllegalArgumentException(
              "--bands: band " + number + " out of range 1.." + map.bandCount());
        }
        indices.add(number - 1);
      } else {
        int index = map.info().bandNames().indexOf(name);
        if (index < 0) {
          throw new IllegalArgumentException(
              "--bands: no band named '" + name + "'; bands are " + map.info().bandNames());
        }
        indices.add(index);
      }
    }
    return indices;
  }

  private static String format(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }

  /** The filtered rows of a point CSV with their lon/lat. */
  static final class PointTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<Long> lines = new ArrayList<>();
    private double[] lonValues;
    private double[] latValues;

    private PointTable(List<String> header) {
      this.header = header;
    }

    static PointTable read(Path file, Map<String, String> filters) throws IOException {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
          CSVParser parser =
              CSVFormat.DEFAULT
                  .builder()
                  .setHeader()
                  .setSkipHeaderRecord(true)
                  .get()
                  .parse(reader)) {
        List<String> header = parser.getHeaderNames();
        int lonColumn = find(header, file, "lon", "longitude", "lng", "x");
        int latColumn = find(header, file, "lat", "latitude", "y");
        Map<Integer, String> filterColumns = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : filters.entrySet()) {
          int column = indexOfIgnoreCase(header, f.getKey());
          if (column < 0) {
            throw new IllegalArgumentException(
                "--where: column '" + f.getKey() + "' not in " + file + " header " + header);
          }
          filterColumns.put(column, f.getValue());
        }
        PointTable table = new PointTable(header);
        List<Double> lons = new ArrayList<>();
        List<Double> lats = new ArrayList<>();
        for (CSVRecord record : parser) {
          boolean keep = true;
          for (Map.Entry<Integer, String> f : filterColumns.entrySet()) {
            keep &= record.get(f.getKey()).trim().equalsIgnoreCase(f.getValue());
          }
          if (!keep) {
            continue;
          }
          long line = record.getRecordNumber() + 1;
          double lon = parse(record.get(lonColumn), header.get(lonColumn), line, file);
          double lat = parse(record.get(latColumn), header.get(latColumn), line, file);
          if (lat < -90 || lat > 90 || lon < -180 || lon > 360) {
            throw new IllegalArgumentException(
                file + " line " + line + ": lon " + lon + ", lat " + lat + " out of range");
          }
          lons.add(lon);
          lats.add(lat);
          table.rows.add(record.toList());
          table.lines.add(line);
        }
        table.lonValues = lons.stream().mapToDouble(Double::doubleValue).toArray();
        table.latValues = lats.stream().mapToDouble(Double::doubleValue).toArray();
        return table;
      }
    }

    private static int find(List<String> header, Path file, String... names) {
      for (String name : names) {
        int index = indexOfIgnoreCase(header, name);
        if (index >= 0) {
          return index;
        }
      }
      throw new IllegalArgumentException(
          "--points: " + file + " has no " + names[0] + " column; header is " + header);
    }

    private static int indexOfIgnoreCase(List<String> header, String name) {
      for (int i = 0; i < header.size(); i++) {
        if (header.get(i).trim().equalsIgnoreCase(name)) {
          return i;
        }
      }
      return -1;
    }

    private static double parse(String text, String column, long line, Path file) {
      try {
        return Double.parseDouble(text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            file + " line " + line + ": " + column + " '" + text + "' is not a number", e);
      }
    }

    List<String> header() {
      return header;
    }

    int size() {
      return rows.size();
    }

    long lineNumber(int i) {
      return lines.get(i);
    }

    double lon(int i) {
      return lonValues[i];
    }

    double lat(int i) {
      return latValues[i];
    }

    double[] lons(int from, int to) {
      return java.util.Arrays.copyOfRange(lonValues, from, to);
    }

    double[] lats(int from, int to) {
      return java.util.Arrays.copyOfRange(latValues, from, to);
    }

    List<String> values(int i) {
      return rows.get(i);
    }
  }
}
