package io.terrafield.imagery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchFeatureExtractorTest {

  @TempDir Path tmp;

  @Test
  void textureOfConstantAndCheckerboardPatches() {
    float[] constant = new float[25];
    java.util.Arrays.fill(constant, 7f);
    float[] checker = new float[25];
    for (int i = 0; i < 25; i++) {
      checker[i] = ((i / 5) + (i % 5)) % 2;
    }
    StatisticsPatchFeatureExtractor extractor = new StatisticsPatchFeatureExtractor();
    float[][] f =
        extractor.extract(
            List.of(
                new ImagePatch("flat", 1, 5, constant), new ImagePatch("checker", 1, 5, checker)));
    List<String> names = extractor.featureNames(1);
    assertThat(f[0][names.indexOf("c0_mean")]).isEqualTo(7f);
    assertThat(f[0][names.indexOf("c0_glcm_contrast")]).isZero();
    assertThat(f[0][names.indexOf("c0_glcm_homogeneity")]).isEqualTo(1f);
    assertThat(f[0][names.indexOf("c0_glcm_energy")]).isEqualTo(1f);
    assertThat(f[0][names.indexOf("c0_glcm_entropy")]).isZero();
    // Every neighbour pair is (level 0, level 15): contrast 15^2, P = 1/2 on two cells.
    assertThat(f[1][names.indexOf("c0_glcm_contrast")]).isCloseTo(225f, within(1e-4f));
    assertThat(f[1][names.indexOf("c0_glcm_energy")]).isCloseTo(0.5f, within(1e-6f));
    assertThat(f[1][names.indexOf("c0_glcm_entropy")])
        .isCloseTo((float) Math.log(2), within(1e-6f));
    assertThat(f[1][names.indexOf("c0_mean")]).isCloseTo(12f / 25, within(1e-6f));
  }

  @Test
  void handBuiltTorchScriptModelRunsThroughDjlAndAgreesWithTheStatistics() throws Exception {
    Path model = TinyTorchScript.writePatchMean(tmp.resolve("patchmean.pt"));
    GeoRaster olinda = Rasters.open(TestData.imagery("landsat7_olinda_L7_ETMs.tif"));
    LonLatBox box = olinda.info().lonLatBounds();
    List<TargetPoint> targets =
        List.of(
            new TargetPoint(
                "centre", (box.minLon() + box.maxLon()) / 2, (box.minLat() + box.maxLat()) / 2),
            new TargetPoint("corner", box.minLon() + 0.0005, box.maxLat() - 0.0005),
            new TargetPoint("outside", 0, 0));
    List<ImagePatch> patches = ImagePatch.around(olinda, new int[] {0, 1, 2, 3, 4, 5}, targets, 9);
    float[][] stats = new StatisticsPatchFeatureExtractor().extract(patches);
    try (TorchScriptPatchFeatureExtractor torch = new TorchScriptPatchFeatureExtractor(model)) {
      float[][] embedding = torch.extract(patches);
      assertThat(torch.featureNames(6)).hasSize(6).startsWith("emb_0");
      for (int i = 0; i < 2; i++) {
        for (int c = 0; c < 6; c++) {
          // The model's per-channel mean equals the statistics extractor's mean (nodata beyond the
          // scene edge is filled with the valid mean, which leaves the mean unchanged).
          assertThat(embedding[i][c]).isCloseTo(stats[i][c * 9], within(1e-3f));
        }
      }
      assertThat(stats[1][4]).isLessThan(1f);
      assertThat(embedding[2]).containsOnly(0f);
    }
  }

  @Test
  void unusableModelFilesAreSpecificErrors() throws Exception {
    assertThatThrownBy(() -> new TorchScriptPatchFeatureExtractor(tmp.resolve("missing.pt")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.pt");
    Path garbage = Files.writeString(tmp.resolve("garbage.pt"), "not a model");
    assertThatThrownBy(() -> new TorchScriptPatchFeatureExtractor(garbage))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("garbage.pt");
    assertThatThrownBy(
            () ->
                new StatisticsPatchFeatureExtractor()
                    .extract(
                        List.of(
                            new ImagePatch("a", 1, 2, new float[4]),
                            new ImagePatch("b", 1, 3, new float[9]))))
        .hasMessageContaining("patch b");
  }
}
