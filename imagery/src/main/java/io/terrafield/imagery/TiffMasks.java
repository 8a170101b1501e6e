package io.terrafield.imagery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The validity masks of a GeoTIFF that Apache SIS 1.6 does not apply: an internal per-dataset mask
 * (a following IFD with {@code NewSubfileType} = 4, {@code PhotometricInterpretation} = 4, one bit
 * per pixel, as GDAL writes with {@code GDAL_TIFF_INTERNAL_MASK}) and an alpha band ({@code
 * ExtraSamples} 1 or 2 in the first IFD). A pixel the mask marks 0, or whose alpha is 0, is nodata
 * in every band (GDAL's {@code GMF_PER_DATASET} semantics). Reads classic TIFF and BigTIFF, strips
 * and tiles, uncompressed, Deflate and PackBits masks.
 *
 * <p>Thread-safe (stateless).
 */
final class TiffMasks {

  private static final int NEW_SUBFILE_TYPE = 254;
  private static final int WIDTH = 256;
  private static final int HEIGHT = 257;
  private static final int BITS_PER_SAMPLE = 258;
  private static final int COMPRESSION = 259;
  private static final int PHOTOMETRIC = 262;
  private static final int STRIP_OFFSETS = 273;
  private static final int ROWS_PER_STRIP = 278;
  private static final int STRIP_BYTE_COUNTS = 279;
  private static final int TILE_WIDTH = 322;
  private static final int TILE_LENGTH = 323;
  private static final int TILE_OFFSETS = 324;
  private static final int TILE_BYTE_COUNTS = 325;
  private static final int EXTRA_SAMPLES = 338;
  private static final int SAMPLES_PER_PIXEL = 277;

  private TiffMasks() {}

  /** A mask over the full image (row-major, true = valid), or none. */
  record Mask(int width, int height, boolean[] valid) {}

  /**
   * The internal mask of the first image, or null when the file has none.
   *
   * @throws IOException when the mask exists but cannot be decoded (unsupported compression, bad
   *     offsets): better refuse than silently treat masked pixels as data
   */
  static Mask internalMask(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      List<Map<Integer, long[]>> ifds = ifds(channel);
      if (ifds.isEmpty()) {
        return null;
      }
      long width = first(ifds.get(0), WIDTH);
      long height = first(ifds.get(0), HEIGHT);
      for (Map<Integer, long[]> ifd : ifds.subList(1, ifds.size())) {
        if (first(ifd, NEW_SUBFILE_TYPE) == 4
            && first(ifd, PHOTOMETRIC) == 4
            && first(ifd, WIDTH) == width
            && first(ifd, HEIGHT) == height) {
          return decode(channel, ifd, (int) width, (int) height);
        }
      }
      return null;
    }
  }

  /** The 0-based index of the alpha band of the first image, or -1. */
  static int alphaBand(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      List<Map<Integer, long[]>> ifds = ifds(channel);
      if (ifds.isEmpty() || !ifds.get(0).containsKey(EXTRA_SAMPLES)) {
        return -1;
      }
      long[] extra = ifds.get(0).get(EXTRA_SAMPLES);
      long samples = first(ifds.get(0), SAMPLES_PER_PIXEL);
      for (int i = 0; i < extra.length; i++) {
        if (extra[i] == 1 || extra[i] == 2) {
          return (int) (samples - extra.length + i);
        }
      }
      return -1;
    }
  }

  /**
   * Sets every band to NaN where the mask is 0. {@code lowX}, {@code lowY}: where the bands (width
   * × height) start in the full image.
   *
   * @return the number of pixels masked
   */
  static int apply(Mask mask, float[][] bands, int width, int height, long lowX, long lowY) {
    int masked = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        long fx = x + lowX;
        long fy = y + lowY;
        if (fx < 0 || fy < 0 || fx >= mask.width() || fy >= mask.height()) {
          continue;
        }
        if (!mask.valid()[(int) (fy * mask.width() + fx)]) {
          masked++;
          for (float[] band : bands) {
            band[y * width + x] = Float.NaN;
          }
        }
      }
    }
    return masked;
  }

  /** Sets every band to NaN where the alpha band is 0 (or NaN). */
  static void applyAlpha(float[][] bands, int alpha) {
    float[] a = bands[alpha];
    for (int k = 0; k < a.length; k++) {
      if (a[k] == 0 || Float.isNaN(a[k])) {
        for (int b = 0; b < bands.length; b++) {
          if (b != alpha) {
            bands[b][k] = Float.NaN;
          }
        }
      }
    }
  }

  private static Mask decode(FileChannel channel, Map<Integer, long[]> ifd, int width, int height)
      throws IOException {
    if (first(ifd, BITS_PER_SAMPLE) != 1) {
      throw new IOException("mask IFD: BitsPerSample " + first(ifd, BITS_PER_SAMPLE) + " is not 1");
    }
    int compression = (int) first(ifd, COMPRESSION);
    boolean[] valid = new boolean[width * height];
    boolean tiled = ifd.containsKey(TILE_OFFSETS);
    long[] offsets = tiled ? ifd.get(TILE_OFFSETS) : ifd.get(STRIP_OFFSETS);
    long[] counts = tiled ? ifd.get(TILE_BYTE_COUNTS) : ifd.get(STRIP_BYTE_COUNTS);
    if (offsets == null || counts == null || offsets.length != counts.length) {
      throw new IOException("mask IFD: missing or inconsistent strip/tile offsets");
    }
    int blockWidth = tiled ? (int) first(ifd, TILE_WIDTH) : width;
    int blockHeight =
        tiled
            ? (int) first(ifd, TILE_LENGTH)
            : (int)
                Math.min(
                    height, ifd.containsKey(ROWS_PER_STRIP) ? first(ifd, ROWS_PER_STRIP) : height);
    int blocksAcross = (width + blockWidth - 1) / blockWidth;
    int rowBytes = (blockWidth + 7) / 8;
    for (int i = 0; i < offsets.length; i++) {
      ByteBuffer raw = read(channel, offsets[i], (int) counts[i]);
      byte[] bytes = new byte[raw.remaining()];
      raw.get(bytes);
      byte[] data = decompress(compression, bytes, rowBytes * blockHeight);
      int originX = tiled ? (i % blocksAcross) * blockWidth : 0;
      int originY = tiled ? (i / blocksAcross) * blockHeight : i * blockHeight;
      for (int r = 0; r < blockHeight; r++) {
        int y = originY + r;
        if (y >= height) {
          break;
        }
        for (int c = 0; c < blockWidth; c++) {
          int x = originX + c;
          if (x >= width) {
            break;
          }
          int at = r * rowBytes + c / 8;
          boolean bit = at < data.length && ((data[at] >> (7 - c % 8)) & 1) == 1;
          valid[y * width + x] = bit;
        }
      }
    }
    return new Mask(width, height, valid);
  }

  private static byte[] decompress(int compression, byte[] bytes, int expected) throws IOException {
    return switch (compression) {
      case 1 -> bytes;
      case 8, 32946 -> inflate(bytes, expected);
      case 32773 -> unpackBits(bytes, expected);
      default ->
          throw new IOException("mask IFD: compression " + compression + " is not supported");
    };
  }

  private static byte[] inflate(byte[] bytes, int expected) throws IOException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(bytes);
      ByteArrayOutputStream out = new ByteArrayOutputStream(expected);
      byte[] buffer = new byte[Math.max(64, expected)];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new IOException("mask IFD: bad Deflate data: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  private static byte[] unpackBits(byte[] in, int expected) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(expected);
    int i = 0;
    while (i < in.length && out.size() < expected) {
      int n = in[i++];
      if (n >= 0) {
        out.write(in, i, Math.min(n + 1, in.length - i));
        i += n + 1;
      } else if (n != -128 && i < in.length) {
        byte b = in[i++];
        for (int k = 0; k < 1 - n; k++) {
          out.write(b);
        }
      }
    }
    return out.toByteArray();
  }

  private static long first(Map<Integer, long[]> ifd, int tag) {
    long[] v = ifd.get(tag);
    return v == null || v.length == 0 ? 0 : v[0];
  }

  /** Every IFD's integer tags (types BYTE, SHORT, LONG, LONG8), at most 64 IFDs. */
  private static List<Map<Integer, long[]>> ifds(FileChannel channel) throws IOException {
    ByteBuffer header = read(channel, 0, 16);
    ByteOrder order = header.get(0) == 'M' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    header.order(order);
    boolean big = (header.getShort(2) & 0xffff) == 43;
    long next = big ? header.getLong(8) : header.getInt(4) & 0xffffffffL;
    List<Map<Integer, long[]>> out = new ArrayList<>();
    while (next != 0 && out.size() < 64) {
      ByteBuffer countBuffer = read(channel, next, big ? 8 : 2).order(order);
      long count = big ? countBuffer.getLong(0) : countBuffer.getShort(0) & 0xffff;
      int entrySize = big ? 20 : 12;
      ByteBuffer entries =
          read(channel, next + (big ? 8 : 2), (int) (count * entrySize) + (big ? 8 : 4))
              .order(order);
      Map<Integer, long[]> tags = new HashMap<>();
      for (int i = 0; i < count; i++) {
        int at = i * entrySize;
        int tag = entries.getShort(at) & 0xffff;
        int type = entries.getShort(at + 2) & 0xffff;
        long n = big ? entries.getLong(at + 4) : entries.getInt(at + 4) & 0xffffffffL;
        int size =
            switch (type) {
              case 1 -> 1;
              case 3 -> 2;
              case 4 -> 4;
              case 16 -> 8;
              default -> 0;
            };
        if (size == 0 || n > 1_000_000) {
          continue;
        }
        int inline = big ? 8 : 4;
        ByteBuffer values;
        if (size * n <= inline) {
          values = entries.slice(at + (big ? 12 : 8), inline).order(order);
        } else {
          long offset = big ? entries.getLong(at + 12) : entries.getInt(at + 8) & 0xffffffffL;
          values = read(channel, offset, (int) (size * n)).order(order);
        }
        long[] v = new long[(int) n];
        for (int k = 0; k < n; k++) {
          v[k] =
              switch (size) {
                case 1 -> values.get(k) & 0xffL;
                case 2 -> values.getShort(k * 2) & 0xffffL;
                case 4 -> values.getInt(k * 4) & 0xffffffffL;
                default -> values.getLong(k * 8);
              };
        }
        tags.put(tag, v);
      }
      out.add(tags);
      int at = (int) (count * entrySize);
      next = big ? entries.getLong(at) : entries.getInt(at) & 0xffffffffL;
    }
    return out;
  }

  private static ByteBuffer read(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("unexpected end of TIFF at " + (position + buffer.position()));
      }
    }
    buffer.flip();
    return buffer;
  }
}
