package io.terrafield.causal.cli;

import io.terrafield.causal.UnitTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The outcome raster and the confounder rasters of an estimate, each opened once. */
record RasterInputs(RasterColumns.Source outcome, List<RasterColumns.Source> confounders) {

  static RasterInputs open(
      Path outcomeRaster,
      Map<String, Path> confounderRasters,
      Map<String, Path> spectralIndices,
      String bandMap) {
    RasterColumns.Source outcome =
        outcomeRaster == null ? null : RasterColumns.Source.open("outcome", outcomeRaster);
    List<RasterColumns.Source> confounders = new ArrayList<>();
    for (Map.Entry<String, Path> e : confounderRasters.entrySet()) {
      confounders.add(RasterColumns.Source.open(e.getKey(), e.getValue()));
    }
    if (!spectralIndices.isEmpty() && bandMap == null) {
      throw new io.terrafield.causal.CausalInputException(
          "--spectral-index needs --band-map (landsat7, landsat8 or name=band,...)");
    }
    for (Map.Entry<String, Path> e : spectralIndices.entrySet()) {
      confounders.add(RasterColumns.Source.spectralIndex(e.getKey(), e.getValue(), bandMap));
    }
    return new RasterInputs(outcome, List.copyOf(confounders));
  }

  boolean isEmpty() {
    return outcome == null && confounders.isEmpty();
  }

  /** Pixel width of the first raster in its CRS units (metres for projected CRSs). */
  double pixelSize() {
    RasterColumns.Source first = outcome != null ? outcome : confounders.get(0);
    double[] t = first.raster().gridToCrs();
    return Math.abs(t[1]);
  }

  /** Drops the units not covered by every raster; notes how many. */
  UnitTable keepCovered(
      UnitTable table, String latColumn, String lonColumn, List<String> notes, String what) {
    if (isEmpty()) {
      return table;
    }
    double[] lat = table.numeric(latColumn, "latitude");
    double[] lon = table.numeric(lonColumn, "longitude");
    List<RasterColumns.Source> all = new ArrayList<>(confounders);
    if (outcome != null) {
      all.add(outcome);
    }
    UnitTable kept =
        table.filterRows(i -> all.stream().allMatch(s -> s.raster().contains(lon[i], lat[i])));
    int dropped = table.rowCount() - kept.rowCount();
    if (dropped > 0) {
      notes.add("dropped " + dropped + " " + what + " outside the raster(s)");
    }
    return kept;
  }
}
