package io.terrafield.store;

/** Argument checks shared by the records; every message names the field and the value. */
final class Checks {

  private Checks() {}

  static void requireId(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank, was '" + value + "'");
    }
  }

  static void requireLonLat(String what, double lon, double lat) {
    if (!(lon >= -180 && lon <= 180)) {
      throw new IllegalArgumentException(what + ": lon out of range [-180, 180]: " + lon);
    }
    if (!(lat >= -90 && lat <= 90)) {
      throw new IllegalArgumentException(what + ": lat out of range [-90, 90]: " + lat);
    }
  }

  static void requireFinite(String field, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be finite, was " + value);
    }
  }
}
