package io.terrafield.imagery;

/**
 * Statistics of the valid pixels of one band within a buffer around a point.
 *
 * @param mean arithmetic mean of the valid pixel values, NaN when {@code validCount == 0}
 * @param std population standard deviation, NaN when {@code validCount == 0}
 * @param min smallest valid value, NaN when {@code validCount == 0}
 * @param max largest valid value, NaN when {@code validCount == 0}
 * @param validCount number of pixels in the buffer that hold data (not nodata)
 * @param pixelCount number of pixels in the buffer, valid or not
 */
public record BufferStatistics(
    double mean, double std, double min, double max, int validCount, int pixelCount) {

  static final BufferStatistics EMPTY =
      new BufferStatistics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0);
}
