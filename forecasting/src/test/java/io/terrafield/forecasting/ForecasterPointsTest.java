package io.terrafield.forecasting;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.forecasting.eval.QuantileLevels;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The batched, cached field evaluation at grid points ({@link Forecaster#forecastPoints}) equals an
 * evaluation of every point and lead on its own (one {@link NeuralField#predictPoints} call per
 * point, the mixture quantiles of the same solver) to a relative 1e-5, for a first issue and for
 * the next hours' issues that reuse the cached valid times.
 */
class ForecasterPointsTest {
  private static final int FIT_END = 300;
  private static SpaceTimeSeries data;
  private static NeuralField field;

  @BeforeAll
  static void fit() {
    List<Station> stations = fiveStations();
    int length = 480;
    double[][] values = new double[stations.size()][length];
    for (int t = 0; t < length; t++) {
      for (int s = 0; s < stations.size(); s++) {
        values[s][t] = Math.expm1(3 + 0.6 * Math.sin(2 * Math.PI * t / 24.0) + 0.2 * s);
      }
    }
    data =
        new SpaceTimeSeries(
            "pm", stations, LocalDateTime.of(2020, 1, 1, 0, 0), Duration.ofHours(1), values);
    field = smallField(data, FIT_END);
  }

  /** Five stations about 10 km apart (the synthetic network of the point tests). */
  static List<Station> fiveStations() {
    List<Station> stations = new ArrayList<>();
    for (int s = 0; s < 5; s++) {
      stations.add(new Station("s" + s, 116 + 0.1 * s, 39.8 + 0.05 * (s % 3)));
    }
    return stations;
  }

  /** A small CGLUBNF field (3 members, width 16, 1 epoch) fitted before {@code fitEnd}. */
  static NeuralField smallField(SpaceTimeSeries data, int fitEnd) {
    return NeuralField.fit(
        data,
        fitEnd,
        FieldConfig.cglubnf().withSizes(3, 16, 1),
        new PrintStream(PrintStream.nullOutputStream()));
  }

  @AfterAll
  static void close() {
    field.close();
  }

  @Test
  void batchedCellsEqualPerCellEvaluation() {
    double[] lon = new double[23];
    double[] lat = new double[lon.length];
    for (int p = 0; p < lon.length; p++) {
      lon[p] = 115.95 + 0.05 * (p % 8);
      lat[p] = 39.7 + 0.05 * (p / 8);
    }
    int[] leads = new int[72];
    for (int h = 0; h < leads.length; h++) {
      leads[h] = h + 1;
    }
    double[] levels = QuantileLevels.LEVELS;
    Forecaster forecaster = Forecaster.create(field, data, FIT_END, false);
    for (int issue : new int[] {FIT_END + 5, FIT_END + 6, FIT_END + 7, FIT_END + 30}) {
      double[][][] batched = forecaster.forecastPoints(lon, lat, data.time(issue), leads, levels);
      for (int p = 0; p < lon.length; p++) {
        double[] times = new double[leads.length];
        for (int h = 0; h < leads.length; h++) {
          times[h] = data.absoluteSteps(issue + h);
        }
        FieldPrediction one =
            field.predictPoints(new double[] {lon[p]}, new double[] {lat[p]}, times);
        for (int h = 0; h < leads.length; h++) {
          double[] mean = new double[one.mean().length];
          double[] sd = new double[mean.length];
          for (int m = 0; m < mean.length; m++) {
            mean[m] = one.mean()[m][h];
            sd[m] = one.sd()[m][h];
          }
          double[] q = MixtureQuantiles.quantiles(mean, sd, levels);
          for (int k = 0; k < q.length; k++) {
            double expected = field.toObservation(q[k]);
            assertThat(Math.abs(batched[h][p][k] - expected))
                .as("issue %d, point %d, lead %d, level %d", issue, p, h + 1, k)
                .isLessThanOrEqualTo(1e-5 * Math.max(1, Math.abs(expected)));
          }
        }
      }
    }
  }
}
