package io.terrafield.forecasting;

import java.util.Arrays;
import java.util.List;

/**
 * The k-nearest-station graph (great-circle distance) and the fixed inputs of the graph-attention
 * encoder: for every query location its k nearest stations (a station never attends to itself, so
 * that training mimics a new location), their descriptors and distances. Immutable, thread-safe.
 *
 * <p>Station descriptor: (position, spatial Fourier features, mean and sd of the station's training
 * targets in the latent scale); query features: (position, spatial Fourier features).
 */
final class StationGraph {
  final List<Station> stations;
  final float[][] stationStats;
  final FeatureMap features;
  final int k;
  final double distanceScaleKm;

  StationGraph(
      List<Station> stations, float[][] stationStats, FeatureMap features, int neighbours) {
    this.stations = List.copyOf(stations);
    this.stationStats = stationStats;
    this.features = features;
    this.k = Math.max(1, Math.min(neighbours, stations.size() - 1));
    double[] nearest = new double[stations.size()];
    for (int i = 0; i < stations.size(); i++) {
      nearest[i] = Double.POSITIVE_INFINITY;
      for (int j = 0; j < stations.size(); j++) {
        if (i != j) {
          Station s = stations.get(i);
          nearest[i] =
              Math.min(nearest[i], s.distanceKm(stations.get(j).lon(), stations.get(j).lat()));
        }
      }
    }
    Arrays.sort(nearest);
    double median = nearest[nearest.length / 2];
    this.distanceScaleKm = Double.isFinite(median) && median > 0 ? median : 1.0;
  }

  int queryDim() {
    return 2 + features.spatialCount();
  }

  int descriptorDim() {
    return 2 + features.spatialCount() + 2;
  }

  /** Inputs of the encoder for L locations; {@code self[i]} is a station index or −1. */
  Inputs inputs(double[] lon, double[] lat, int[] self) {
    int l = lon.length;
    float[] query = new float[l * queryDim()];
    float[] neighbours = new float[l * k * descriptorDim()];
    float[] distance = new float[l * k];
    for (int i = 0; i < l; i++) {
      writePosition(lon[i], lat[i], query, i * queryDim());
      int[] nearest = nearest(lon[i], lat[i], self[i]);
      for (int n = 0; n < k; n++) {
        Station st = stations.get(nearest[n]);
        int off = (i * k + n) * descriptorDim();
        writePosition(st.lon(), st.lat(), neighbours, off);
        neighbours[off + queryDim()] = stationStats[nearest[n]][0];
        neighbours[off + queryDim() + 1] = stationStats[nearest[n]][1];
        distance[i * k + n] = (float) (st.distanceKm(lon[i], lat[i]) / distanceScaleKm);
      }
    }
    return new Inputs(l, k, query, neighbours, distance);
  }

  private void writePosition(double lon, double lat, float[] out, int offset) {
    out[offset] = (float) (2 * features.unitLon(lon) - 1);
    out[offset + 1] = (float) (2 * features.unitLat(lat) - 1);
    features.spatial(lon, lat, out, offset + 2);
  }

  /** Indices of the k nearest stations to (lon, lat), excluding station {@code self}. */
  int[] nearest(double lon, double lat, int self) {
    Integer[] order = new Integer[stations.size()];
    double[] d = new double[stations.size()];
    for (int j = 0; j < order.length; j++) {
      order[j] = j;
      d[j] = j == self ? Double.POSITIVE_INFINITY : stations.get(j).distanceKm(lon, lat);
    }
    Arrays.sort(order, (a, b) -> Double.compare(d[a], d[b]));
    int[] out = new int[k];
    for (int n = 0; n < k; n++) {
      out[n] = order[n];
    }
    return out;
  }

  /** Encoder inputs: query [L, Dq], neighbour descriptors [L, k, Dd], distances [L, k]. */
  record Inputs(int locations, int k, float[] query, float[] neighbours, float[] distance) {}
}
