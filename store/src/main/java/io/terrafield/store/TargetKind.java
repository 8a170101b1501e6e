package io.terrafield.store;

import java.util.Arrays;
import java.util.Locale;

/** What a forecast target is: a monitoring station or a cell of a {@link ForecastGrid}. */
public enum TargetKind {
  /** A station; the target id is the station id. */
  STATION,
  /** A grid cell; the target id is {@link ForecastGrid#cellId}. */
  CELL;

  /** The stored key, {@code station} or {@code cell}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The kind with this {@link #key()}.
   *
   * @throws IllegalArgumentException naming the value and the known keys
   */
  public static TargetKind byKey(String key) {
    return Arrays.stream(values())
        .filter(k -> k.key().equals(key))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "target kind: '" + key + "' is not one of [station, cell]"));
  }
}
