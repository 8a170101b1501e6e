package io.terrafield.forecasting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The streaming residual update and the rolling calibration on a synthetic field whose noise is
 * persistent and shared by the stations: log1p(y) = m(s, t) + c_t + e, c_t = 0.95 c_{t−1} + N(0,
 * 0.1²) common to all stations, e ~ N(0, 0.05²). The field cannot know c_t; the update must.
 */
class ResidualUpdateTest {
  private static final int FIT_END = 400;
  private static final int RESIDUAL_END = 520;
  private static SpaceTimeSeries data;
  private static NeuralField field;

  @BeforeAll
  static void fit() {
    SplittableRandom random = new SplittableRandom(11);
    List<Station> stations = new ArrayList<>();
    for (int s = 0; s < 6; s++) {
      stations.add(new Station("s" + s, 116 + 0.1 * s, 39.8 + 0.05 * (s % 3)));
    }
    int length = 720;
    double[][] values = new double[stations.size()][length];
    double common = 0;
    for (int t = 0; t < length; t++) {
      common = 0.95 * common + 0.1 * gaussian(random);
      for (int s = 0; s < stations.size(); s++) {
        double m = 3 + 0.6 * Math.sin(2 * Math.PI * t / 24.0) + 0.8 * s / 5.0;
        values[s][t] = Math.expm1(m + common + 0.05 * gaussian(random));
      }
    }
    data =
        new SpaceTimeSeries(
            "pm", stations, LocalDateTime.of(2020, 1, 1, 0, 0), Duration.ofHours(1), values);
    FieldConfig config = new FieldConfig(false, false, 4, 32, 2, 2, 40, 512, 0.01, 2, 4, 7);
    field = NeuralField.fit(data, FIT_END, config, new PrintStream(PrintStream.nullOutputStream()));
  }

  private static double gaussian(SplittableRandom random) {
    double u = Math.max(1e-12, random.nextDouble());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  @AfterAll
  static void close() {
    field.close();
  }

  private static double medianAbsoluteError(Forecaster forecaster, int horizon) {
    double sum = 0;
    int n = 0;
    double[] levels = {0.5};
    for (int issue = RESIDUAL_END; issue + horizon - 1 < data.length(); issue++) {
      double[][][] q = forecaster.forecastStations(data, issue, new int[] {horizon}, levels);
      for (int s = 0; s < data.stations().size(); s++) {
        double y = data.values()[s][issue + horizon - 1];
        sum += Math.abs(field.toLatent(q[0][s][0]) - field.toLatent(y));
        n++;
      }
    }
    return sum / n;
  }

  @Test
  void theUpdateUsesTheNewestObservationsAndFadesWithTheLead() {
    Forecaster updated = Forecaster.create(field, data, FIT_END, RESIDUAL_END, true);
    Forecaster fieldOnly = Forecaster.create(field, data, FIT_END, RESIDUAL_END, false);
    double updated1 = medianAbsoluteError(updated, 1);
    double fieldOnly1 = medianAbsoluteError(fieldOnly, 1);
    assertThat(updated1).isLessThan(0.5 * fieldOnly1);
    double updated48 = medianAbsoluteError(updated, 48);
    double fieldOnly48 = medianAbsoluteError(fieldOnly, 48);
    assertThat(updated48).isLessThan(1.1 * fieldOnly48);
    assertThat(updated48).isGreaterThan(updated1);
  }

  @Test
  void rollingCalibrationUsesOnlyValuesBeforeTheIssue() {
    int issue = 600;
    double[] levels = {0.025, 0.05, 0.5, 0.95, 0.975};
    int[] horizons = {1, 6};
    Forecaster forecaster = Forecaster.create(field, data, FIT_END, RESIDUAL_END, true);
    forecaster.calibrate(data, 200);
    double[][][] before = forecaster.forecastStations(data, issue, horizons, levels);

    double[][] altered = new double[data.stations().size()][];
    for (int s = 0; s < altered.length; s++) {
      altered[s] = data.values()[s].clone();
      for (int t = issue; t < altered[s].length; t++) {
        altered[s][t] = t % 2 == 0 ? Double.NaN : 10 * altered[s][t];
      }
    }
    SpaceTimeSeries future = data.withValues(altered);
    Forecaster other = Forecaster.create(field, future, FIT_END, RESIDUAL_END, true);
    other.calibrate(future, 200);
    other.forecastStations(future, 690, horizons, levels);
    assertThat(other.forecastStations(future, issue, horizons, levels)).isDeepEqualTo(before);
    assertThat(forecaster.calibrationFactors()).containsKeys(1, 6);
  }
}
