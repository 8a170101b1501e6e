package io.terrafield.imagery;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which band of a raster holds which spectral channel: channel name (e.g. {@code red}, {@code nir})
 * to 1-based band number in the file. Standard channel names: {@code coastal, blue, green, red,
 * nir, swir1, swir2, tirs1, tirs2}.
 *
 * @param sensor free-text sensor name, e.g. {@code Landsat 8 OLI}
 * @param bands channel name to 1-based band number, iteration order preserved
 */
public record BandMap(String sensor, Map<String, Integer> bands) {

  /** Validates and copies. */
  public BandMap {
    Objects.requireNonNull(sensor, "sensor");
    Map<String, Integer> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : bands.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank()) {
        throw new IllegalArgumentException("BandMap: blank channel name in " + bands);
      }
      if (e.getValue() == null || e.getValue() < 1) {
        throw new IllegalArgumentException(
            "BandMap: band number for '" + e.getKey() + "' must be >= 1, got " + e.getValue());
      }
      copy.put(e.getKey(), e.getValue());
    }
    bands = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * Landsat 7 ETM+ reflective stack in the order 1, 2, 3, 4, 5, 7 (as in {@code
   * landsat7_olinda_L7_ETMs.tif}): blue, green, red, nir, swir1, swir2 = file bands 1-6.
   */
  public static BandMap landsat7EtmPlus() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("blue", 1);
    m.put("green", 2);
    m.put("red", 3);
    m.put("nir", 4);
    m.put("swir1", 5);
    m.put("swir2", 6);
    return new BandMap("Landsat 7 ETM+ (bands 1,2,3,4,5,7)", m);
  }

  /**
   * Landsat 8 OLI/TIRS stack of bands 1-7, 10, 11 (as in {@code
   * landsat8_marburg_20130707_B1-7_B10_B11.tif}): coastal, blue, green, red, nir, swir1, swir2,
   * tirs1, tirs2 = file bands 1-9.
   */
  public static BandMap landsat8Oli() {
    Map<String, Integer> m = new LinkedHashMap<>();
    String[] names = {"coastal", "blue", "green", "red", "nir", "swir1", "swir2", "tirs1", "tirs2"};
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], i + 1);
    }
    return new BandMap("Landsat 8 OLI/TIRS (bands 1-7,10,11)", m);
  }

  /**
   * Parses {@code name=band,name=band}, e.g. {@code red=3,nir=4}, or a preset name: {@code
   * landsat7} / {@code landsat8}.
   *
   * @throws IllegalArgumentException naming the malformed entry
   */
  public static BandMap parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    if (trimmed.equalsIgnoreCase("landsat7")) {
      return landsat7EtmPlus();
    }
    if (trimmed.equalsIgnoreCase("landsat8")) {
      return landsat8Oli();
    }
    Map<String, Integer> m = new LinkedHashMap<>();
    for (String entry : trimmed.split(",")) {
      String[] kv = entry.split("=");
      if (kv.length != 2) {
        throw new IllegalArgumentException(
            "band map entry '" + entry + "' is not name=band (in '" + text + "')");
      }
      try {
        m.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "band map entry '" + entry + "': band '" + kv[1].trim() + "' is not an integer", e);
      }
    }
    return new BandMap("custom", m);
  }

  /** The 0-based band index of a channel, or -1 when the map does not name it. */
  public int indexOf(String channel) {
    Integer band = bands.get(channel);
    return band == null ? -1 : band - 1;
  }
}
