package io.terrafield.imagery;

import java.util.List;
import org.apache.sis.geometry.Envelopes;
import org.apache.sis.geometry.GeneralEnvelope;
import org.apache.sis.referencing.CRS;
import org.apache.sis.referencing.CommonCRS;
import org.apache.sis.referencing.IdentifiedObjects;
import org.apache.sis.referencing.crs.AbstractCRS;
import org.apache.sis.referencing.cs.AxesConvention;
import org.apache.sis.util.Utilities;
import org.opengis.geometry.Envelope;
import org.opengis.referencing.crs.CoordinateReferenceSystem;
import org.opengis.referencing.operation.TransformException;
import org.opengis.util.FactoryException;

/** CRS helpers: decoding codes, naming CRSs and describing rasters. */
final class Crs {
  private Crs() {}

  /**
   * Decodes an authority code, with easting/northing (longitude/latitude) axis order.
   *
   * @param field the name of the field the code came from, for the message
   */
  static CoordinateReferenceSystem decode(String code, String field) {
    try {
      CoordinateReferenceSystem crs = CRS.forCode(code);
      return AbstractCRS.castOrCopy(crs).forConvention(AxesConvention.RIGHT_HANDED);
    } catch (FactoryException | RuntimeException e) {
      throw new IllegalArgumentException(
          field + ": unknown CRS '" + code + "' (" + e.getMessage() + ")", e);
    }
  }

  /** An authority code for the CRS, e.g. {@code EPSG:32632}, or null. */
  static String code(CoordinateReferenceSystem crs) {
    if (Utilities.equalsIgnoreMetadata(crs, CommonCRS.WGS84.normalizedGeographic())
        || Utilities.equalsIgnoreMetadata(crs, CommonCRS.WGS84.geographic())) {
      return "EPSG:4326";
    }
    try {
      Integer epsg = IdentifiedObjects.lookupEPSG(crs);
      if (epsg != null) {
        return "EPSG:" + epsg;
      }
      CoordinateReferenceSystem normalized =
          AbstractCRS.castOrCopy(crs).forConvention(AxesConvention.RIGHT_HANDED);
      if (Utilities.equalsApproximately(normalized, CommonCRS.WGS84.normalizedGeographic())) {
        return "EPSG:4326";
      }
      String urn = IdentifiedObjects.lookupURN(crs, null);
      return urn;
    } catch (FactoryException e) {
      return null;
    }
  }

  static RasterInfo describe(
      CoordinateReferenceSystem crs,
      String knownCode,
      double[] affine,
      int width,
      int height,
      List<String> bandNames,
      String dataType,
      List<Double> noData) {
    double[] xs = new double[4];
    double[] ys = new double[4];
    double[][] corners = {
      {-0.5, -0.5}, {width - 0.5, -0.5}, {-0.5, height - 0.5}, {width - 0.5, height - 0.5}
    };
    for (int k = 0; k < 4; k++) {
      double c = corners[k][0];
      double r = corners[k][1];
      xs[k] = affine[0] + affine[1] * c + affine[2] * r;
      ys[k] = affine[3] + affine[4] * c + affine[5] * r;
    }
    GeneralEnvelope envelope = new GeneralEnvelope(crs);
    envelope.setRange(0, min(xs), max(xs));
    envelope.setRange(1, min(ys), max(ys));
    LonLatBox box;
    try {
      Envelope lonLat = Envelopes.transform(envelope, CommonCRS.WGS84.normalizedGeographic());
      box =
          new LonLatBox(
              Math.max(-180, lonLat.getMinimum(0)),
              Math.max(-90, lonLat.getMinimum(1)),
              Math.min(180, lonLat.getMaximum(0)),
              Math.min(90, lonLat.getMaximum(1)));
    } catch (TransformException | IllegalArgumentException e) {
      box = new LonLatBox(-180, -90, 180, 90);
    }
    boolean latitudeFirst =
        crs.getCoordinateSystem().getAxis(0).getDirection()
            == org.opengis.referencing.cs.AxisDirection.NORTH;
    double sizeX = Math.hypot(affine[1], affine[4]);
    double sizeY = Math.hypot(affine[2], affine[5]);
    double minX = latitudeFirst ? min(ys) : min(xs);
    double maxX = latitudeFirst ? max(ys) : max(xs);
    double minY = latitudeFirst ? min(xs) : min(ys);
    double maxY = latitudeFirst ? max(xs) : max(ys);
    return new RasterInfo(
        knownCode != null ? knownCode : code(crs),
        crs.getName().getCode(),
        width,
        height,
        bandNames,
        dataType,
        sizeX,
        sizeY,
        minX,
        minY,
        maxX,
        maxY,
        box,
        noData);
  }

  private static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : v) {
      m = Math.min(m, x);
    }
    return m;
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }
}
