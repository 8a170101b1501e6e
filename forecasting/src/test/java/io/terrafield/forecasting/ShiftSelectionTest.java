package io.terrafield.forecasting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The shift selection of {@link Forecaster}. The residual shift is fitted on a window where the
 * noise shared by the stations is persistent (AR(1), φ = 0.95). When it stays persistent, the
 * verified forecasts keep the shift; when it alternates afterwards (φ = −0.9), the fitted shift
 * points the wrong way, the verified forecasts show it, and the shift is dropped.
 */
class ShiftSelectionTest {
  private static final int FIT_END = 400;
  private static final int RESIDUAL_END = 520;
  private static final int FIRST_SCORED = 760;

  @Test
  void theShiftIsKeptWhileTheResidualsStayPersistent() {
    double[] r = run(0.95);
    assertThat(r[0]).isGreaterThanOrEqualTo(0.9);
    assertThat(r[2]).isLessThan(r[3]);
  }

  @Test
  void theShiftIsDroppedWhenItHurtOnTheVerifiedForecasts() {
    double[] r = run(-0.9);
    assertThat(r[0]).isLessThanOrEqualTo(0.3);
    // The fit is not bit-reproducible across JVMs here (see forecasting/README.md): over five CI
    // runs the field-only error was 0.567-0.637 and the selected one 0.605-0.649 against 0.617 for
    // always shifting, so the error is held within 10 % of the better variant; the share above is
    // what shows the selection working.
    assertThat(r[2]).isLessThan(1.10 * Math.min(r[1], r[3]));
  }

  /**
   * {share of issues from FIRST_SCORED with the shift at h = 1, mean |error| of the latent median
   * with the shift always, with selection, of the field alone}.
   */
  private static double[] run(double phiAfter) {
    SplittableRandom random = new SplittableRandom(5);
    List<Station> stations = new ArrayList<>();
    for (int s = 0; s < 6; s++) {
      stations.add(new Station("s" + s, 116 + 0.1 * s, 39.8 + 0.05 * (s % 3)));
    }
    int length = 900;
    double[][] values = new double[stations.size()][length];
    double common = 0;
    for (int t = 0; t < length; t++) {
      common = (t < RESIDUAL_END ? 0.95 : phiAfter) * common + 0.1 * gaussian(random);
      for (int s = 0; s < stations.size(); s++) {
        double m = 3 + 0.6 * Math.sin(2 * Math.PI * t / 24.0) + 0.8 * s / 5.0;
        values[s][t] = Math.expm1(m + common + 0.05 * gaussian(random));
      }
    }
    SpaceTimeSeries data =
        new SpaceTimeSeries(
            "pm", stations, LocalDateTime.of(2020, 1, 1, 0, 0), Duration.ofHours(1), values);
    FieldConfig config = new FieldConfig(false, false, 4, 32, 2, 2, 40, 512, 0.01, 2, 4, 7);
    try (NeuralField field =
        NeuralField.fit(data, FIT_END, config, new PrintStream(PrintStream.nullOutputStream()))) {
      Forecaster always = Forecaster.create(field, data, FIT_END, RESIDUAL_END, true);
      Forecaster selecting = Forecaster.create(field, data, FIT_END, RESIDUAL_END, true);
      selecting.calibrate(data, 24 * 14);
      Forecaster fieldOnly = Forecaster.create(field, data, FIT_END, RESIDUAL_END, false);
      int kept = 0;
      for (int issue = FIRST_SCORED; issue < length; issue++) {
        kept += selecting.shifted(issue, 1) ? 1 : 0;
      }
      double[] r = {
        (double) kept / (length - FIRST_SCORED),
        error(always, field, data),
        error(selecting, field, data),
        error(fieldOnly, field, data)
      };
      System.out.printf(
          "φ after the residual window %.2f: shift kept at h=1 for %.0f %% of issues; mean |error|"
              + " (latent) shift always %.3f, selected %.3f, field only %.3f%n",
          phiAfter, 100 * r[0], r[1], r[2], r[3]);
      return r;
    }
  }

  /** Mean |latent median − latent y| at h = 1 over the scored issues. */
  private static double error(Forecaster forecaster, NeuralField field, SpaceTimeSeries data) {
    double sum = 0;
    int n = 0;
    for (int issue = FIRST_SCORED; issue < data.length(); issue++) {
      double[][][] q = forecaster.forecastStations(data, issue, new int[] {1}, new double[] {0.5});
      for (int s = 0; s < data.stations().size(); s++) {
        sum += Math.abs(field.toLatent(q[0][s][0]) - field.toLatent(data.values()[s][issue]));
        n++;
      }
    }
    return sum / n;
  }

  private static double gaussian(SplittableRandom random) {
    double u = Math.max(1e-12, random.nextDouble());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
