package io.terrafield.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The global regular longitude/latitude grid whose cells are forecast targets ({@link
 * TargetKind#CELL}). Cell {@code (col, row)} of size {@code d} degrees covers longitudes {@code
 * [-180 + col·d, -180 + (col+1)·d)} and latitudes {@code [-90 + row·d, -90 + (row+1)·d)}; its
 * forecast is the forecast at the centre. A cell id spells the size and both indices, e.g. {@code
 * cell_0.05_5928_2598}, so an id is stable whatever the forecast domain and a reader can compute
 * the id of any position without asking the store. Immutable and thread-safe.
 *
 * @param cellSizeDeg the cell size in degrees, in (0, 10]
 */
public record ForecastGrid(double cellSizeDeg) {

  private static final Pattern ID = Pattern.compile("cell_([0-9.]+)_(\\d+)_(\\d+)");

  /** Validates the size. */
  public ForecastGrid {
    if (!(cellSizeDeg > 0 && cellSizeDeg <= 10)) {
      throw new IllegalArgumentException("cellSizeDeg must be in (0, 10], was " + cellSizeDeg);
    }
  }

  /** One cell: its id and centre (degrees, WGS84). */
  public record Cell(String id, double lon, double lat) {}

  /** The cell containing a position (degrees, WGS84). */
  public Cell cellAt(double lon, double lat) {
    Checks.requireLonLat("grid position", lon, lat);
    return cell(column(lon), row(lat));
  }

  /** The id of the cell containing a position. */
  public String cellId(double lon, double lat) {
    return cellAt(lon, lat).id();
  }

  /**
   * The cells whose centres lie in the box (degrees, inclusive), ordered by row then column.
   *
   * @throws IllegalArgumentException if the box is inverted or out of range
   */
  public List<Cell> cellsIn(double minLon, double minLat, double maxLon, double maxLat) {
    Checks.requireLonLat("box minimum", minLon, minLat);
    Checks.requireLonLat("box maximum", maxLon, maxLat);
    if (minLon > maxLon || minLat > maxLat) {
      throw new IllegalArgumentException(
          "box minimum (" + minLon + ", " + minLat + ") exceeds the maximum");
    }
    List<Cell> cells = new ArrayList<>();
    for (long row = row(minLat) - 1; ; row++) {
      double lat = -90 + (row + 0.5) * cellSizeDeg;
      if (lat > maxLat) {
        break;
      }
      if (lat < minLat || row < 0) {
        continue;
      }
      for (long col = column(minLon) - 1; ; col++) {
        double lon = -180 + (col + 0.5) * cellSizeDeg;
        if (lon > maxLon) {
          break;
        }
        if (lon >= minLon && col >= 0) {
          cells.add(cell(col, row));
        }
      }
    }
    return cells;
  }

  /**
   * The cell of an id made by a grid of any size.
   *
   * @throws IllegalArgumentException naming the id when it is not a cell id
   */
  public static Cell parse(String cellId) {
    Matcher m = cellId == null ? null : ID.matcher(cellId);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "cell id: '" + cellId + "' is not of the form cell_<size>_<column>_<row>");
    }
    return new ForecastGrid(Double.parseDouble(m.group(1)))
        .cell(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
  }

  private long column(double lon) {
    return (long) Math.floor((lon + 180) / cellSizeDeg + 1e-9);
  }

  private long row(double lat) {
    return (long) Math.floor((lat + 90) / cellSizeDeg + 1e-9);
  }

  private Cell cell(long col, long row) {
    String id = String.format(Locale.ROOT, "cell_%s_%d_%d", size(), col, row);
    return new Cell(
        id,
        Math.min(180, -180 + (col + 0.5) * cellSizeDeg),
        Math.min(90, -90 + (row + 0.5) * cellSizeDeg));
  }

  private String size() {
    return java.math.BigDecimal.valueOf(cellSizeDeg).stripTrailingZeros().toPlainString();
  }
}
