package io.terrafield.imagery;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The GDAL private TIFF tags of the first image: {@code GDAL_NODATA} (42113) and {@code
 * GDAL_METADATA} (42112, per-band SCALE, OFFSET and DESCRIPTION items). Apache SIS 1.6 records them
 * but does not always turn them into nodata and scale/offset (e.g. for Int16 bands), so the reader
 * applies them itself when SIS has not. Reads only the TIFF header and first IFD (classic and
 * BigTIFF); any problem yields empty results, never an error.
 */
final class GdalTags {
  private static final Logger LOG = Logger.getLogger(GdalTags.class.getName());
  private static final int GDAL_METADATA = 42112;
  private static final int GDAL_NODATA = 42113;

  final Double noData;
  final Map<Integer, Double> scales = new HashMap<>();
  final Map<Integer, Double> offsets = new HashMap<>();
  final Map<Integer, String> descriptions = new HashMap<>();

  private GdalTags(Double noData) {
    this.noData = noData;
  }

  static GdalTags read(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Map<Integer, String> tags = asciiTags(channel);
      Double noData = null;
      String nodataText = tags.get(GDAL_NODATA);
      if (nodataText != null && !nodataText.isBlank()) {
        try {
          noData = Double.parseDouble(nodataText.trim().replace("\0", ""));
        } catch (NumberFormatException e) {
          String text = nodataText.trim().toLowerCase(java.util.Locale.ROOT);
          noData = text.equals("nan") ? Double.NaN : null;
        }
      }
      GdalTags result = new GdalTags(noData);
      String metadata = tags.get(GDAL_METADATA);
      if (metadata != null) {
        result.parseMetadata(metadata.replace("\0", ""));
      }
      return result;
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "no GDAL tags read from " + file + ": " + e);
      return new GdalTags(null);
    }
  }

  private void parseMetadata(String xml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document doc = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
      NodeList items = doc.getElementsByTagName("Item");
      for (int i = 0; i < items.getLength(); i++) {
        Element item = (Element) items.item(i);
        if (item.getAttribute("sample").isBlank()) {
          continue;
        }
        int sample = Integer.parseInt(item.getAttribute("sample").trim());
        String role = item.getAttribute("role").trim().toLowerCase(java.util.Locale.ROOT);
        String text = item.getTextContent().trim();
        switch (role) {
          case "scale" -> scales.put(sample, Double.parseDouble(text));
          case "offset" -> offsets.put(sample, Double.parseDouble(text));
          case "description" -> descriptions.put(sample, text);
          default -> {
            if (item.getAttribute("name").equalsIgnoreCase("DESCRIPTION")) {
              descriptions.put(sample, text);
            }
          }
        }
      }
    } catch (Exception e) {
      LOG.log(Level.WARNING, "ignoring unreadable GDAL_METADATA: " + e.getMessage());
    }
  }

  /** Applies nodata, then scale and offset, to bands SIS left unconverted. */
  void apply(float[][] bands, List<Boolean> convertedBySis, List<Double> noDataOut) {
    for (int b = 0; b < bands.length; b++) {
      if (convertedBySis.get(b)) {
        continue;
      }
      float[] values = bands[b];
      if (noData != null && !Double.isNaN(noData)) {
        float nodata = (float) noData.doubleValue();
        for (int k = 0; k < values.length; k++) {
          if (values[k] == nodata) {
            values[k] = Float.NaN;
          }
        }
        noDataOut.set(b, noData);
      }
      double scale = scales.getOrDefault(b, 1.0);
      double offset = offsets.getOrDefault(b, 0.0);
      if (scale != 1.0 || offset != 0.0) {
        for (int k = 0; k < values.length; k++) {
          values[k] = (float) (values[k] * scale + offset);
        }
      }
    }
  }

  private static Map<Integer, String> asciiTags(FileChannel channel) throws IOException {
    Map<Integer, String> out = new HashMap<>();
    ByteBuffer header = read(channel, 0, 16, ByteOrder.LITTLE_ENDIAN);
    ByteOrder order = header.get(0) == 'M' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    header.order(order);
    int magic = header.getShort(2) & 0xffff;
    boolean big = magic == 43;
    long ifd = big ? header.getLong(8) : header.getInt(4) & 0xffffffffL;
    ByteBuffer countBuffer = read(channel, ifd, big ? 8 : 2, order);
    long count = big ? countBuffer.getLong(0) : countBuffer.getShort(0) & 0xffff;
    int entrySize = big ? 20 : 12;
    ByteBuffer entries = read(channel, ifd + (big ? 8 : 2), (int) (count * entrySize), order);
    for (int i = 0; i < count; i++) {
      int at = i * entrySize;
      int tag = entries.getShort(at) & 0xffff;
      int type = entries.getShort(at + 2) & 0xffff;
      if ((tag != GDAL_METADATA && tag != GDAL_NODATA) || type != 2) {
        continue;
      }
      long n = big ? entries.getLong(at + 4) : entries.getInt(at + 4) & 0xffffffffL;
      byte[] text = new byte[(int) n];
      if (n <= (big ? 8 : 4)) {
        entries.get(at + (big ? 12 : 8), text, 0, (int) n);
      } else {
        long offset = big ? entries.getLong(at + 12) : entries.getInt(at + 8) & 0xffffffffL;
        read(channel, offset, (int) n, order).get(0, text);
      }
      out.put(tag, new String(text, StandardCharsets.ISO_8859_1));
    }
    return out;
  }

  private static ByteBuffer read(FileChannel channel, long position, int length, ByteOrder order)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(order);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("end of file at " + (position + buffer.position()));
      }
    }
    buffer.flip();
    return buffer;
  }
}
