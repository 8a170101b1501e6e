package io.terrafield.forecasting;

import java.util.ArrayList;
import java.util.List;

/**
 * Fixed (parameter-free) features of the neural field, following BayesNF (Saad et al. 2024, Nature
 * Communications 15:7942, Methods "Bayesian neural field"):
 *
 * <pre>
 *   inputs      x̃ = (lon, lat, t) standardised          (three groups, one learned scale each)
 *   spatial     cos(2π 2^d x̃_i)/(d+1), sin(2π 2^d x̃_i)/(d+1),  d = 0..D−1, x̃_i ∈ [0, 1]
 *   seasonal    cos(2π h t/p)/h, sin(2π h t/p)/h,  for each period p and harmonic h ≤ p/2
 * </pre>
 *
 * Each group is later multiplied by softplus of a learned scalar (per ensemble member). Hourly
 * data: periods 24 h, 168 h, 8766 h with harmonics {1..4}, {1..3}, {1..4}; daily data: 7, 30.44,
 * 365.25 days with harmonics {1..3}, {1..2}, {1..4} (all ≤ p/2). Immutable and thread-safe.
 */
final class FeatureMap {
  static final double[] HOURLY_PERIODS = {24, 168, 8766};
  static final int[] HOURLY_HARMONICS = {4, 3, 4};
  static final double[] DAILY_PERIODS = {7, 30.44, 365.25};
  static final int[] DAILY_HARMONICS = {3, 2, 4};

  final double lonMin;
  final double lonSpan;
  final double latMin;
  final double latSpan;
  final double timeMean;
  final double timeScale;
  final int degrees;
  final double[] periods;
  final int[] harmonics;

  FeatureMap(
      double lonMin,
      double lonSpan,
      double latMin,
      double latSpan,
      double timeMean,
      double timeScale,
      int degrees,
      double[] periods,
      int[] harmonics) {
    this.lonMin = lonMin;
    this.lonSpan = lonSpan;
    this.latMin = latMin;
    this.latSpan = latSpan;
    this.timeMean = timeMean;
    this.timeScale = timeScale;
    this.degrees = degrees;
    this.periods = periods;
    this.harmonics = harmonics;
    for (int i = 0; i < periods.length; i++) {
      if (harmonics[i] > periods[i] / 2) {
        throw new ForecastingException(
            "harmonics: " + harmonics[i] + " exceeds half the period " + periods[i]);
      }
    }
  }

  /** Feature map for a data set: positions scaled to [0.1, 0.9] of the station bounding box. */
  static FeatureMap forStations(
      List<Station> stations, boolean hourly, double timeMean, double timeScale, int degrees) {
    double lonLo = Double.POSITIVE_INFINITY;
    double lonHi = Double.NEGATIVE_INFINITY;
    double latLo = Double.POSITIVE_INFINITY;
    double latHi = Double.NEGATIVE_INFINITY;
    for (Station s : stations) {
      lonLo = Math.min(lonLo, s.lon());
      lonHi = Math.max(lonHi, s.lon());
      latLo = Math.min(latLo, s.lat());
      latHi = Math.max(latHi, s.lat());
    }
    double lonSpan = Math.max(1e-3, lonHi - lonLo) / 0.8;
    double latSpan = Math.max(1e-3, latHi - latLo) / 0.8;
    return new FeatureMap(
        lonLo - 0.1 * lonSpan,
        lonSpan,
        latLo - 0.1 * latSpan,
        latSpan,
        timeMean,
        timeScale,
        degrees,
        hourly ? HOURLY_PERIODS : DAILY_PERIODS,
        hourly ? HOURLY_HARMONICS : DAILY_HARMONICS);
  }

  int spatialCount() {
    return 4 * degrees;
  }

  int seasonalCount() {
    int n = 0;
    for (int h : harmonics) {
      n += 2 * h;
    }
    return n;
  }

  /** Columns: 3 inputs, spatial Fourier, seasonal. */
  int size() {
    return 3 + spatialCount() + seasonalCount();
  }

  /** Group index of every column: 0 lon, 1 lat, 2 time, 3 spatial, 4 seasonal. */
  int[] groups() {
    int[] groups = new int[size()];
    groups[0] = 0;
    groups[1] = 1;
    groups[2] = 2;
    for (int i = 3; i < 3 + spatialCount(); i++) {
      groups[i] = 3;
    }
    for (int i = 3 + spatialCount(); i < size(); i++) {
      groups[i] = 4;
    }
    return groups;
  }

  static final int GROUPS = 5;

  double unitLon(double lon) {
    return (lon - lonMin) / lonSpan;
  }

  double unitLat(double lat) {
    return (lat - latMin) / latSpan;
  }

  /** Spatial Fourier features of a position (used also by the graph encoder). */
  void spatial(double lon, double lat, float[] out, int offset) {
    double[] unit = {unitLon(lon), unitLat(lat)};
    int k = offset;
    for (double x : unit) {
      for (int d = 0; d < degrees; d++) {
        double angle = 2 * Math.PI * Math.pow(2, d) * x;
        out[k++] = (float) (Math.cos(angle) / (d + 1));
        out[k++] = (float) (Math.sin(angle) / (d + 1));
      }
    }
  }

  /** Seasonal features at absolute time {@code t} (steps since 1970-01-01 local). */
  void seasonal(double t, float[] out, int offset) {
    int k = offset;
    for (int p = 0; p < periods.length; p++) {
      for (int h = 1; h <= harmonics[p]; h++) {
        double angle = 2 * Math.PI * h * t / periods[p];
        out[k++] = (float) (Math.cos(angle) / h);
        out[k++] = (float) (Math.sin(angle) / h);
      }
    }
  }

  /** All features of one row into {@code out[offset ...]}. */
  void row(double lon, double lat, double t, float[] out, int offset) {
    out[offset] = (float) (2 * unitLon(lon) - 1);
    out[offset + 1] = (float) (2 * unitLat(lat) - 1);
    out[offset + 2] = (float) ((t - timeMean) / timeScale);
    spatial(lon, lat, out, offset + 3);
    seasonal(t, out, offset + 3 + spatialCount());
  }

  List<Double> describe() {
    List<Double> list = new ArrayList<>();
    list.add(lonMin);
    list.add(lonSpan);
    list.add(latMin);
    list.add(latSpan);
    list.add(timeMean);
    list.add(timeScale);
    return list;
  }
}
