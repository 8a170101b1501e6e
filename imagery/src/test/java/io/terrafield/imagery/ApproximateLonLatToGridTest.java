package io.terrafield.imagery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast lon/lat → pixel approximation stays within its tolerance on every real raster. */
class ApproximateLonLatToGridTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "landsat7_olinda_L7_ETMs.tif",
        "landsat8_marburg_20130707_B1-7_B10_B11.tif",
        "landsat7_rgb_byte_utm18n.tif",
        "etopo20_global_elevation_20arcmin.tif",
        "nigeria_wealth_pred_2012_2014.tif"
      })
  void approximationMatchesTheExactTransform(String file) throws Exception {
    GeoRaster raster = Rasters.open(TestData.imagery(file));
    LonLatBox box = raster.info().lonLatBounds();
    Random random = new Random(3);
    int n = 20_000;
    double[] lons = new double[n];
    double[] lats = new double[n];
    for (int i = 0; i < n; i++) {
      // Slightly beyond the bounds too, to exercise the exact fallback.
      lons[i] = box.minLon() + (random.nextDouble() * 1.1 - 0.05) * (box.maxLon() - box.minLon());
      lats[i] = box.minLat() + (random.nextDouble() * 1.1 - 0.05) * (box.maxLat() - box.minLat());
      lats[i] = Math.max(-90, Math.min(90, lats[i]));
    }
    double[] fast = raster.toGrid(lons, lats);
    double[] exact = raster.toGridExact(lons, lats);
    for (int k = 0; k < fast.length; k++) {
      if (Double.isNaN(exact[k])) {
        assertThat(fast[k]).isNaN();
      } else {
        assertThat(Math.abs(fast[k] - exact[k]))
            .as("coordinate %d", k)
            .isLessThanOrEqualTo(ApproximateLonLatToGrid.TOLERANCE_PIXELS);
      }
    }
  }
}
