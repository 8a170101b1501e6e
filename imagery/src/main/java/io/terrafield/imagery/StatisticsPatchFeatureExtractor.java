package io.terrafield.imagery;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-channel statistics and grey-level co-occurrence texture of a patch.
 *
 * <p>For each channel: mean, standard deviation, min, max and valid fraction of its pixels, then
 * four Haralick texture measures (Haralick, Shanmugam and Dinstein 1973, "Textural features for
 * image classification", IEEE Trans. SMC 3(6)) from the symmetric, normalised grey-level
 * co-occurrence matrix P over the horizontal and vertical unit offsets, with the channel quantised
 * to {@value #LEVELS} levels between its patch minimum and maximum:
 *
 * <pre>
 *   contrast    = Σ_ij P(i,j) (i - j)²
 *   homogeneity = Σ_ij P(i,j) / (1 + (i - j)²)
 *   energy      = Σ_ij P(i,j)²
 *   entropy     = -Σ_ij P(i,j) ln P(i,j)
 * </pre>
 *
 * Pairs with a nodata pixel are skipped; a channel without valid pixels gives NaN features. A
 * constant channel gives contrast 0, homogeneity 1, energy 1, entropy 0. Stateless and thread-safe.
 */
public final class StatisticsPatchFeatureExtractor implements PatchFeatureExtractor {
  static final int LEVELS = 16;
  private static final String[] PER_CHANNEL = {
    "mean",
    "std",
    "min",
    "max",
    "valid_fraction",
    "glcm_contrast",
    "glcm_homogeneity",
    "glcm_energy",
    "glcm_entropy"
  };

  /** Creates the extractor. */
  public StatisticsPatchFeatureExtractor() {}

  @Override
  public List<String> featureNames(int channels) {
    List<String> names = new ArrayList<>();
    for (int c = 0; c < channels; c++) {
      for (String s : PER_CHANNEL) {
        names.add("c" + c + "_" + s);
      }
    }
    return names;
  }

  @Override
  public float[][] extract(List<ImagePatch> patches) {
    PatchFeatureExtractor.commonShape(patches);
    float[][] out = new float[patches.size()][];
    for (int i = 0; i < patches.size(); i++) {
      ImagePatch p = patches.get(i);
      float[] features = new float[p.channels() * PER_CHANNEL.length];
      for (int c = 0; c < p.channels(); c++) {
        channelFeatures(p, c, features, c * PER_CHANNEL.length);
      }
      out[i] = features;
    }
    return out;
  }

  private static void channelFeatures(ImagePatch p, int c, float[] out, int at) {
    int size = p.size();
    double sum = 0;
    double sumSquares = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    int valid = 0;
    for (int r = 0; r < size; r++) {
      for (int k = 0; k < size; k++) {
        float v = p.value(c, r, k);
        if (!Float.isNaN(v)) {
          sum += v;
          sumSquares += (double) v * v;
          min = Math.min(min, v);
          max = Math.max(max, v);
          valid++;
        }
      }
    }
    if (valid == 0) {
      java.util.Arrays.fill(out, at, at + PER_CHANNEL.length, Float.NaN);
      out[at + 4] = 0;
      return;
    }
    double mean = sum / valid;
    out[at] = (float) mean;
    out[at + 1] = (float) Math.sqrt(Math.max(0, sumSquares / valid - mean * mean));
    out[at + 2] = (float) min;
    out[at + 3] = (float) max;
    out[at + 4] = (float) valid / (size * size);
    double[][] glcm = new double[LEVELS][LEVELS];
    double pairs = 0;
    int[][] offsets = {{0, 1}, {1, 0}};
    for (int[] o : offsets) {
      for (int r = 0; r + o[0] < size; r++) {
        for (int k = 0; k + o[1] < size; k++) {
          float a = p.value(c, r, k);
          float b = p.value(c, r + o[0], k + o[1]);
          if (Float.isNaN(a) || Float.isNaN(b)) {
            continue;
          }
          int i = level(a, min, max);
          int j = level(b, min, max);
          glcm[i][j] += 1;
          glcm[j][i] += 1;
          pairs += 2;
        }
      }
    }
    if (pairs == 0) {
      out[at + 5] = Float.NaN;
      out[at + 6] = Float.NaN;
      out[at + 7] = Float.NaN;
      out[at + 8] = Float.NaN;
      return;
    }
    double contrast = 0;
    double homogeneity = 0;
    double energy = 0;
    double entropy = 0;
    for (int i = 0; i < LEVELS; i++) {
      for (int j = 0; j < LEVELS; j++) {
        double pij = glcm[i][j] / pairs;
        if (pij > 0) {
          int d = i - j;
          contrast += pij * d * d;
          homogeneity += pij / (1 + d * d);
          energy += pij * pij;
          entropy -= pij * Math.log(pij);
        }
      }
    }
    out[at + 5] = (float) contrast;
    out[at + 6] = (float) homogeneity;
    out[at + 7] = (float) energy;
    out[at + 8] = (float) entropy;
  }

  private static int level(float v, double min, double max) {
    if (max <= min) {
      return 0;
    }
    int level = (int) ((v - min) / (max - min) * LEVELS);
    return Math.min(LEVELS - 1, Math.max(0, level));
  }
}
