package io.terrafield.api.forecasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Simulations with a known truth: forecasts whose log1p-scale intervals are too narrow by a known
 * factor, verified hour by hour as the online service would.
 */
class IntervalCalibrationTest {

  static final Instant T0 = Instant.parse("2016-02-01T00:00:00Z");
  static final double Z90 = 1.6448536269514722;
  static final double Z95 = 1.959963984540054;

  /**
   * Runs {@code hours} hourly issues at 12 stations with horizons 1..6: the forecast claims
   * log1p(Y) ~ N(m, σ²) while the truth is N(m, (k σ)²) with k = trueFactor(hour). Returns the
   * served 90 % and 95 % coverage of the last {@code scoredHours} hours of targets and the final
   * factor of h=1.
   */
  static double[] simulate(
      int hours, int scoredHours, java.util.function.IntToDoubleFunction trueFactor, long seed) {
    Random random = new Random(seed);
    IntervalCalibration calibration = new IntervalCalibration(Duration.ofDays(3));
    Map<String, Double> truth = new HashMap<>();
    int scored = 0;
    int in90 = 0;
    int in95 = 0;
    for (int hour = 0; hour < hours; hour++) {
      Instant newest = T0.plus(Duration.ofHours(hour));
      calibration.verify(newest, (station, time) -> truth.get(station + "|" + time));
      for (int h = 1; h <= 6; h++) {
        Instant valid = newest.plus(Duration.ofHours(h));
        double c = calibration.factor(h);
        for (int s = 0; s < 12; s++) {
          // log1p-scale medians and sds of PM2.5-like values (e^5 ≈ 150 µg/m³), all positive
          double m = 5 + 0.5 * Math.sin((hour + h) / 7.0 + s);
          double sigma = 0.1 + 0.02 * s;
          double k = trueFactor.applyAsDouble(hour + h);
          double y = Math.expm1(m + k * sigma * random.nextGaussian());
          String key = "s" + s + "|" + valid;
          truth.putIfAbsent(key, y);
          y = truth.get(key);
          double[] raw = {
            Math.expm1(m - Z95 * sigma),
            Math.expm1(m - Z90 * sigma),
            Math.expm1(m),
            Math.expm1(m + Z90 * sigma),
            Math.expm1(m + Z95 * sigma)
          };
          calibration.issued("s" + s, valid, h, raw[0], raw[1], raw[2], raw[3], raw[4], c);
          double[] served = IntervalCalibration.stretch(raw, raw[2], c);
          if (hour >= hours - scoredHours) {
            scored++;
            in90 += y >= served[1] && y <= served[3] ? 1 : 0;
            in95 += y >= served[0] && y <= served[4] ? 1 : 0;
          }
        }
      }
    }
    return new double[] {(double) in90 / scored, (double) in95 / scored, calibration.factor(1)};
  }

  @Test
  void intervalsTooNarrowByAFactorOfTwoAreWidenedToNominalCoverage() {
    double[] r = simulate(24 * 10, 24 * 5, hour -> 2.0, 7);
    System.out.printf(
        "too narrow x2: served PICP90 %.3f PICP95 %.3f, factor(h=1) %.2f%n", r[0], r[1], r[2]);
    assertThat(r[2]).isCloseTo(2.0, within(0.2));
    assertThat(r[0]).isBetween(0.87, 0.93);
    assertThat(r[1]).isBetween(0.93, 0.97);
  }

  @Test
  void calibratedIntervalsStayAsTheyAre() {
    double[] r = simulate(24 * 10, 24 * 5, hour -> 1.0, 8);
    assertThat(r[2]).isCloseTo(1.0, within(0.1));
    assertThat(r[0]).isBetween(0.87, 0.93);
  }

  @Test
  void theFactorFollowsAChangeOfRegimeWithinTheWindow() {
    // narrow by 3 for five days, then by 1.5: after the 3-day window the factor has followed
    double[] r = simulate(24 * 12, 24 * 3, hour -> hour < 24 * 5 ? 3.0 : 1.5, 9);
    System.out.printf(
        "regime change 3 -> 1.5: served PICP90 %.3f PICP95 %.3f, factor(h=1) %.2f%n",
        r[0], r[1], r[2]);
    assertThat(r[2]).isCloseTo(1.5, within(0.2));
    assertThat(r[0]).isBetween(0.86, 0.94);
  }

  @Test
  void withFewVerificationsTheFactorIsOneAndTheBandsSaySo() {
    IntervalCalibration calibration = new IntervalCalibration(Duration.ofDays(7));
    for (int s = 0; s < IntervalCalibration.MIN_VERIFIED - 1; s++) {
      calibration.issued("s" + s, T0, 1, 1, 2, 10, 50, 60, 1.0);
    }
    calibration.verify(T0, (station, time) -> 1000.0);
    assertThat(calibration.factor(1)).isEqualTo(1.0);
    List<IntervalCalibration.Band> bands = calibration.bands();
    assertThat(bands.get(0).verified()).isEqualTo(IntervalCalibration.MIN_VERIFIED - 1);
    assertThat(bands.get(0).rawPicp90()).isZero();
    assertThat(bands.get(1).verified()).isZero();
    assertThat(bands.get(1).rawPicp90()).isNaN();
  }

  @Test
  void unobservedTargetsAreDroppedNotCountedAsMisses() {
    IntervalCalibration calibration = new IntervalCalibration(Duration.ofDays(7));
    for (int s = 0; s < 40; s++) {
      calibration.issued("s" + s, T0, 1, 1, 2, 10, 50, 60, 1.0);
    }
    calibration.verify(T0, (station, time) -> station.equals("s0") ? 10.0 : null);
    assertThat(calibration.bands().get(0).verified()).isEqualTo(1);
    assertThat(calibration.bands().get(0).rawPicp90()).isEqualTo(1.0);
  }

  @Test
  void stretchingKeepsTheMedianAndOrderAndStaysNonNegative() {
    double[] q = {0.5, 3, 10, 40, 90};
    double[] wide = IntervalCalibration.stretch(q, 10, 2.5);
    assertThat(wide[2]).isCloseTo(10, within(1e-9));
    for (int i = 1; i < wide.length; i++) {
      assertThat(wide[i]).isGreaterThanOrEqualTo(wide[i - 1]);
    }
    assertThat(wide[0]).isGreaterThanOrEqualTo(0);
    assertThat(wide[4]).isGreaterThan(90);
    // on the log1p scale the distance to the median scales by exactly c
    assertThat(Math.log1p(wide[3]) - Math.log1p(10))
        .isCloseTo(2.5 * (Math.log1p(40) - Math.log1p(10)), within(1e-9));
  }
}
