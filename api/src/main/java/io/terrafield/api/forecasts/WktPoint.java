package io.terrafield.api.forecasts;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A WKT {@code POINT(lon lat)} in WGS84 degrees, as the EDR {@code coords} parameter gives it. */
record WktPoint(double lon, double lat) {

  private static final String NUMBER = "([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?)";
  private static final Pattern POINT =
      Pattern.compile("\\s*POINT\\s*\\(\\s*" + NUMBER + "\\s+" + NUMBER + "\\s*\\)\\s*");

  /**
   * Parses {@code POINT(lon lat)} (case-insensitive, any spacing).
   *
   * @throws IllegalArgumentException naming {@code coords} and the value when it is not such a
   *     point or lies outside [-180, 180] × [-90, 90]
   */
  static WktPoint parse(String coords) {
    Matcher m = POINT.matcher(coords == null ? "" : coords.toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "coords: '" + coords + "' is not a WKT point like POINT(116.4 39.9) (lon lat, WGS84)");
    }
    double lon = Double.parseDouble(m.group(1));
    double lat = Double.parseDouble(m.group(2));
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
      throw new IllegalArgumentException(
          "coords: '"
              + coords
              + "' lies outside lon [-180, 180], lat [-90, 90] (WKT order is lon lat)");
    }
    return new WktPoint(lon, lat);
  }
}
