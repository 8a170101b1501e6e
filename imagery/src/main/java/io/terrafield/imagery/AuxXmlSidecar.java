package io.terrafield.imagery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads a GDAL PAM sidecar ({@code <file>.aux.xml}): band descriptions become band names and a
 * {@code NoDataValue} marks those samples as NaN. A missing sidecar is normal; a malformed one is
 * logged and ignored, never fatal.
 */
final class AuxXmlSidecar {
  private static final Logger LOG = Logger.getLogger(AuxXmlSidecar.class.getName());

  private AuxXmlSidecar() {}

  static void apply(Path raster, List<String> names, List<Double> noData, float[][] bands) {
    Path sidecar = raster.resolveSibling(raster.getFileName() + ".aux.xml");
    if (!Files.isRegularFile(sidecar)) {
      return;
    }
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document doc = factory.newDocumentBuilder().parse(sidecar.toFile());
      NodeList bandNodes = doc.getElementsByTagName("PAMRasterBand");
      for (int i = 0; i < bandNodes.getLength(); i++) {
        Element band = (Element) bandNodes.item(i);
        int index = Integer.parseInt(band.getAttribute("band").trim()) - 1;
        if (index < 0 || index >= names.size()) {
          continue;
        }
        String description = childText(band, "Description");
        if (description != null && !description.isBlank()) {
          names.set(index, description.trim());
        }
        String nodata = childText(band, "NoDataValue");
        if (nodata != null && !nodata.isBlank()) {
          double value = Double.parseDouble(nodata.trim());
          noData.set(index, value);
          float[] values = bands[index];
          for (int k = 0; k < values.length; k++) {
            if (values[k] == (float) value) {
              values[k] = Float.NaN;
            }
          }
        }
      }
    } catch (Exception e) {
      LOG.log(Level.WARNING, "ignoring unreadable sidecar " + sidecar + ": " + e.getMessage());
    }
  }

  private static String childText(Element parent, String tag) {
    NodeList nodes = parent.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
  }
}
