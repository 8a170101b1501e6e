package io.terrafield.forecasting;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.forecasting.eval.QuantileLevels;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The residual update carried to points ({@link Forecaster#forecastPointsUpdated}): without the
 * update it is the field alone; in an episode the field does not know (every station far above the
 * field since the fit), a point between the stations follows the stations at short leads.
 */
class ForecasterPointsUpdatedTest {
  private static final int FIT_END = 300;
  private static final int ISSUE = FIT_END + 24;
  private static SpaceTimeSeries data;
  private static NeuralField field;

  @BeforeAll
  static void fit() {
    List<Station> stations = ForecasterPointsTest.fiveStations();
    int length = 480;
    double[][] values = new double[stations.size()][length];
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    double episode = 0;
    for (int t = 0; t < length; t++) {
      // a slowly varying regional anomaly before the fit end, so the residuals carry over hours;
      // from the fit end on, an episode 1.5 above the field on the latent scale
      episode = t < FIT_END ? 0.9 * episode + 0.1 * random.nextGaussian() : 1.5;
      for (int s = 0; s < stations.size(); s++) {
        values[s][t] = Math.expm1(3 + 0.6 * Math.sin(2 * Math.PI * t / 24.0) + 0.2 * s + episode);
      }
    }
    data =
        new SpaceTimeSeries(
            "pm", stations, LocalDateTime.of(2020, 1, 1, 0, 0), Duration.ofHours(1), values);
    field = ForecasterPointsTest.smallField(data, FIT_END);
  }

  @AfterAll
  static void close() {
    field.close();
  }

  static final double[] LON = {116.05, 116.25, 116.35};
  static final double[] LAT = {39.83, 39.87, 39.80};
  static final int[] LEADS = {1, 6, 72};

  @Test
  void withoutTheUpdateItIsTheFieldAlone() {
    Forecaster forecaster = Forecaster.create(field, data, FIT_END, false);
    double[][][] alone =
        forecaster.forecastPoints(LON, LAT, data.time(ISSUE), LEADS, QuantileLevels.LEVELS);
    double[][][] updated =
        forecaster.forecastPointsUpdated(data, ISSUE, LON, LAT, LEADS, QuantileLevels.LEVELS, null);
    assertThat(updated).isDeepEqualTo(alone);
  }

  @Test
  void inAnEpisodeAPointBetweenTheStationsFollowsThemAtShortLeads() {
    Forecaster forecaster = Forecaster.create(field, data, FIT_END, true);
    int median = QuantileLevels.LEVELS.length / 2;
    double[][][] alone =
        forecaster.forecastPoints(LON, LAT, data.time(ISSUE), LEADS, QuantileLevels.LEVELS);
    double[][][] updated =
        forecaster.forecastPointsUpdated(data, ISSUE, LON, LAT, LEADS, QuantileLevels.LEVELS, null);
    for (int p = 0; p < LON.length; p++) {
      double observedNear = data.values()[1][ISSUE - 1]; // the episode's level at a neighbour
      double before = alone[0][p][median];
      double after = updated[0][p][median];
      assertThat(after).as("point %d, lead 1", p).isGreaterThan(before * 1.5);
      assertThat(Math.abs(Math.log1p(after) - Math.log1p(observedNear)))
          .as("point %d, lead 1: nearer the stations' level than the field", p)
          .isLessThan(Math.abs(Math.log1p(before) - Math.log1p(observedNear)));
      for (double[] q : updated[0]) {
        for (int k = 1; k < q.length; k++) {
          assertThat(q[k]).isGreaterThanOrEqualTo(q[k - 1]);
        }
      }
    }
  }
}
