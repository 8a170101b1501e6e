package io.terrafield.imagery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SceneFeatureExtractorTest {

  @Test
  void wholeOlindaSceneGivesTheIndependentBandMeans() throws Exception {
    GeoRaster olinda = Rasters.open(TestData.imagery("landsat7_olinda_L7_ETMs.tif"));
    RasterInfo info = olinda.info();
    LonLatBox box = info.lonLatBounds();
    TargetPoint centre =
        new TargetPoint(
            "olinda", (box.minLon() + box.maxLon()) / 2, (box.minLat() + box.maxLat()) / 2);
    // 10 km radius covers the whole 9.9 x 10.0 km scene.
    SceneFeatures f =
        new SceneFeatureExtractor(10_000)
            .extract(olinda, BandMap.landsat7EtmPlus(), List.of(centre))
            .get(0);
    assertThat(f.pixelCount()).isEqualTo(349 * 352);
    assertThat(f.validCount()).isEqualTo(349 * 352);
    assertThat(f.bandMeans().keySet())
        .containsExactly("blue", "green", "red", "nir", "swir1", "swir2");
    double[] expected = {79.148, 67.575, 64.359, 59.235, 83.183, 59.975};
    int b = 0;
    for (double mean : f.bandMeans().values()) {
      assertThat(mean).isCloseTo(expected[b++], within(5e-4));
    }
    double ndvi =
        RealRastersTest.mean(
            SpectralIndex.NDVI.compute(olinda, BandMap.landsat7EtmPlus()).bandValues(0));
    assertThat(f.ndvi()).isCloseTo(ndvi, within(1e-9));
    assertThat(f.ndvi()).isBetween(-1.0, 1.0);
    assertThat(f.ndwi()).isBetween(-1.0, 1.0);
    assertThat(f.ndbi()).isBetween(-1.0, 1.0);
  }

  @Test
  void marburgVegetationHasPositiveNdviAndTargetsOutsideAreEmpty() throws Exception {
    GeoRaster marburg =
        Rasters.open(TestData.imagery("landsat8_marburg_20130707_B1-7_B10_B11.tif"));
    LonLatBox box = marburg.info().lonLatBounds();
    List<SceneFeatures> features =
        new SceneFeatureExtractor(300)
            .extract(
                marburg,
                BandMap.landsat8Oli(),
                List.of(
                    new TargetPoint(
                        "centre",
                        (box.minLon() + box.maxLon()) / 2,
                        (box.minLat() + box.maxLat()) / 2),
                    new TargetPoint("far", 0, 0)));
    SceneFeatures centre = features.get(0);
    // A 300 m disc holds about pi * 10^2 = 314 pixels of 30 m.
    assertThat(centre.pixelCount()).isBetween(300, 330);
    assertThat(centre.bandMeans()).containsKeys("coastal", "tirs2");
    // July, central Germany: vegetation (NIR well above red).
    assertThat(centre.ndvi()).isGreaterThan(0.2);
    assertThat(centre.bandMeans().get("nir")).isGreaterThan(centre.bandMeans().get("red"));
    SceneFeatures far = features.get(1);
    assertThat(far.pixelCount()).isZero();
    assertThat(far.ndvi()).isNaN();
  }

  @Test
  void bandMapThatDoesNotFitIsASpecificError() throws Exception {
    var uri = TestData.imagery("landsat7_olinda_L7_ETMs.tif").toUri();
    RasterReadException e =
        catchThrowableOfType(
            RasterReadException.class,
            () -> new SceneFeatureExtractor(100).extract(uri, BandMap.landsat8Oli(), List.of()));
    assertThat(e.reason()).isEqualTo(RasterReadException.Reason.BAND_MAP_MISMATCH);
    assertThat(e.getMessage()).contains("band 7").contains("6 bands");
    assertThatThrownBy(() -> BandMap.parse("red=three")).hasMessageContaining("three");
    assertThat(BandMap.parse("red=3, nir=4").indexOf("nir")).isEqualTo(3);
    assertThatThrownBy(() -> new SceneFeatureExtractor(-1)).hasMessageContaining("-1");
  }
}
