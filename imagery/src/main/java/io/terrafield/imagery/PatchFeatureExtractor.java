package io.terrafield.imagery;

import java.util.List;

/**
 * Turns image patches into fixed-length feature vectors (e.g. image confounders for the causal
 * module, covariates for the forecasts). Implementations: {@link StatisticsPatchFeatureExtractor}
 * (per-channel statistics and GLCM texture) and {@link TorchScriptPatchFeatureExtractor} (a
 * user-supplied TorchScript model run through DJL).
 */
public interface PatchFeatureExtractor extends AutoCloseable {

  /**
   * The names of the features for patches with this many channels, in output order.
   *
   * @param channels number of channels of the patches
   */
  List<String> featureNames(int channels);

  /**
   * Extracts one feature vector per patch.
   *
   * @param patches patches, all with the same channel count and size
   * @return {@code result[i]} is the feature vector of {@code patches.get(i)}
   * @throws IllegalArgumentException when the patches differ in shape
   */
  float[][] extract(List<ImagePatch> patches);

  /** Releases native resources; a no-op by default. */
  @Override
  default void close() {}

  /** Checks that all patches share the first one's shape and returns it as {channels, size}. */
  static int[] commonShape(List<ImagePatch> patches) {
    if (patches.isEmpty()) {
      return new int[] {0, 0};
    }
    ImagePatch first = patches.get(0);
    for (ImagePatch p : patches) {
      if (p.channels() != first.channels() || p.size() != first.size()) {
        throw new IllegalArgumentException(
            "patch "
                + p.id()
                + " is "
                + p.channels()
                + "x"
                + p.size()
                + "x"
                + p.size()
                + " but patch "
                + first.id()
                + " is "
                + first.channels()
                + "x"
                + first.size()
                + "x"
                + first.size());
      }
    }
    return new int[] {first.channels(), first.size()};
  }
}
