package io.terrafield.imagery;

import java.util.Objects;

/**
 * A raster could not be opened or read. The {@link #reason()} is a stable, machine-readable code
 * (e.g. for a dead-letter topic); the message names the source and what was wrong with it.
 */
public final class RasterReadException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a raster could not be read. */
  public enum Reason {
    /** The file or URI does not exist. */
    NOT_FOUND,
    /** The content is not a TIFF/GeoTIFF. */
    NOT_TIFF,
    /** The TIFF ends before all of its declared data. */
    TRUNCATED,
    /** The raster has no coordinate reference system, or one that cannot be used. */
    NO_CRS,
    /** Any other failure to read or interpret the raster. */
    UNREADABLE,
    /** The raster has fewer bands than the band map names. */
    BAND_MAP_MISMATCH
  }

  private final Reason reason;
  private final String source;

  /**
   * Creates an exception.
   *
   * @param reason why the raster could not be read
   * @param source the file or URI that was read
   * @param message what was wrong, naming the source
   * @param cause the underlying failure, may be null
   */
  public RasterReadException(Reason reason, String source, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.source = source;
  }

  /** The reason code. */
  public Reason reason() {
    return reason;
  }

  /** The file or URI that could not be read. */
  public String source() {
    return source;
  }
}
