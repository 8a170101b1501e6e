package io.terrafield.forecasting;

import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;

/**
 * Offline study of calibration rules: writes, for every hourly issue p from the residual window's
 * start to the end of a replay and every lead 1..72, the calibration's verification of both
 * variants (smallest covering factor indices per station, squared error). Not a test; run by hand:
 * {@code java -cp ... io.terrafield.forecasting.CalibrationDump DATA FIELD FROM DAYS OUT}. Layout
 * (big-endian): ints residualFrom, fitEnd, end, stations; then for p in [residualFrom, end), lead
 * 1..72, variant 0..1: g90[stations] bytes, g95[stations] bytes, the squared error (double). The
 * served PICP90 of a rule that picks grid index g at (p, lead) is the share of g90 ≤ g (−1:
 * missing); docs/forecasts.md, "Interval calibration", was measured this way.
 */
final class CalibrationDump {
  private CalibrationDump() {}

  public static void main(String[] args) throws IOException {
    SpaceTimeSeries full = AirQualityDatasets.read("beijing", Path.of(args[0]), "PM2.5");
    LocalDate from = LocalDate.parse(args[2]);
    int days = Integer.parseInt(args[3]);
    int fitEnd = 365 * 24;
    LocalDateTime start = from.atStartOfDay().minusDays(365);
    int offset = full.indexOf(start);
    int hours = fitEnd + days * 24 + 72;
    double[][] values = new double[full.stations().size()][];
    for (int s = 0; s < values.length; s++) {
      values[s] = Arrays.copyOfRange(full.values()[s], offset, offset + hours);
    }
    SpaceTimeSeries grid =
        new SpaceTimeSeries(full.target(), full.stations(), start, Duration.ofHours(1), values);
    int residualFrom = fitEnd - 60 * 24;
    try (NeuralField field = NeuralField.load(Path.of(args[1]));
        DataOutputStream out =
            new DataOutputStream(new java.io.BufferedOutputStream(new FileOutputStream(args[4])))) {
      Forecaster f = Forecaster.create(field, grid, residualFrom, fitEnd, true);
      f.calibrate(grid, 120 * 24);
      int stations = values.length;
      out.writeInt(residualFrom);
      out.writeInt(fitEnd);
      out.writeInt(fitEnd + days * 24);
      out.writeInt(stations);
      for (int p = residualFrom; p < fitEnd + days * 24; p++) {
        for (int h = 1; h <= 72; h++) {
          Forecaster.Verification v = f.verification(p, h);
          for (int variant = 0; variant < 2; variant++) {
            out.write(v.g90()[variant]);
            out.write(v.g95()[variant]);
            out.writeDouble(v.squaredErrors()[variant]);
          }
        }
        if ((p - residualFrom) % 240 == 0) {
          System.err.println("dumped " + grid.time(p));
        }
      }
    }
  }
}
