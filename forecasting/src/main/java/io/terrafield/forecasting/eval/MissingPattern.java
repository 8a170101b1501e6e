package io.terrafield.forecasting.eval;

import io.terrafield.forecasting.ForecastingException;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A missing-data pattern applied to the history seen by the models (never to scored targets).
 *
 * <ul>
 *   <li>{@code none}: the data as they are;
 *   <li>{@code random:R}: each observed point is dropped independently with probability R;
 *   <li>{@code block:R}: per station, gaps of 6-72 consecutive steps until a fraction R of the
 *       station's observed points is gone;
 *   <li>{@code station:R}: whole stations dark for 1-4 weeks at a time until a fraction R of all
 *       observed points is gone;
 *   <li>{@code mixed:R}: random, block and station, each with R/3.
 * </ul>
 *
 * @param kind the pattern
 * @param rate the target fraction R of observed points to remove, in [0, 1)
 */
public record MissingPattern(Kind kind, double rate) {
  /** Pattern kinds. */
  public enum Kind {
    NONE,
    RANDOM,
    BLOCK,
    STATION,
    MIXED
  }

  /** Validates the rate. */
  public MissingPattern {
    if (!(rate >= 0 && rate < 1)) {
      throw new ForecastingException("missing: rate must be in [0, 1), got " + rate);
    }
  }

  /** Parses {@code none}, {@code random:R}, {@code block:R}, {@code station:R}, {@code mixed:R}. */
  public static MissingPattern parse(String text) {
    if (text == null || text.isBlank() || text.equalsIgnoreCase("none")) {
      return new MissingPattern(Kind.NONE, 0);
    }
    String[] parts = text.split(":");
    Kind kind;
    try {
      kind = Kind.valueOf(parts[0].trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ForecastingException(
          "missing: expected none|random:R|block:R|station:R|mixed:R, got '" + text + "'");
    }
    if (parts.length != 2 || kind == Kind.NONE) {
      throw new ForecastingException(
          "missing: expected none|random:R|block:R|station:R|mixed:R, got '" + text + "'");
    }
    double rate;
    try {
      rate = Double.parseDouble(parts[1].trim());
    } catch (NumberFormatException e) {
      throw new ForecastingException("missing: rate is not a number in '" + text + "'");
    }
    return new MissingPattern(kind, rate);
  }

  @Override
  public String toString() {
    return kind == Kind.NONE ? "none" : kind.name().toLowerCase(Locale.ROOT) + ":" + rate;
  }

  /**
   * Returns a copy of {@code values} ([station][time], NaN missing) with this pattern applied.
   *
   * @param stepsPerWeek steps in one week (168 hourly, 7 daily) for the station pattern
   */
  public double[][] apply(double[][] values, int stepsPerWeek, long seed) {
    double[][] out = new double[values.length][];
    for (int s = 0; s < values.length; s++) {
      out[s] = values[s].clone();
    }
    SplittableRandom random = new SplittableRandom(seed);
    switch (kind) {
      case NONE -> {}
      case RANDOM -> randomPoints(out, rate, random);
      case BLOCK -> blocks(out, rate, random);
      case STATION -> stationOutages(out, rate, stepsPerWeek, random);
      case MIXED -> {
        randomPoints(out, rate / 3, random);
        blocks(out, rate / 3, random);
        stationOutages(out, rate / 3, stepsPerWeek, random);
      }
    }
    return out;
  }

  private static void randomPoints(double[][] v, double r, SplittableRandom random) {
    for (double[] row : v) {
      for (int t = 0; t < row.length; t++) {
        if (!Double.isNaN(row[t]) && random.nextDouble() < r) {
          row[t] = Double.NaN;
        }
      }
    }
  }

  private static long observed(double[] row) {
    long n = 0;
    for (double x : row) {
      n += Double.isNaN(x) ? 0 : 1;
    }
    return n;
  }

  private static void blocks(double[][] v, double r, SplittableRandom random) {
    for (double[] row : v) {
      long target = Math.round(observed(row) * r);
      long removed = 0;
      for (int guard = 0; removed < target && guard < 1_000_000; guard++) {
        int length = 6 + random.nextInt(67);
        int start = random.nextInt(Math.max(1, row.length - length));
        for (int t = start; t < Math.min(row.length, start + length) && removed < target; t++) {
          if (!Double.isNaN(row[t])) {
            row[t] = Double.NaN;
            removed++;
          }
        }
      }
    }
  }

  private static void stationOutages(
      double[][] v, double r, int stepsPerWeek, SplittableRandom random) {
    long total = 0;
    for (double[] row : v) {
      total += observed(row);
    }
    long target = Math.round(total * r);
    long removed = 0;
    for (int guard = 0; removed < target && guard < 1_000_000; guard++) {
      double[] row = v[random.nextInt(v.length)];
      int length = stepsPerWeek * (1 + random.nextInt(4));
      int start = random.nextInt(Math.max(1, row.length - length));
      for (int t = start; t < Math.min(row.length, start + length) && removed < target; t++) {
        if (!Double.isNaN(row[t])) {
          row[t] = Double.NaN;
          removed++;
        }
      }
    }
  }
}
