package io.terrafield.imagery;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes small GeoTIFFs with the JDK's TIFF writer plus hand-made GeoTIFF tags, to cover layouts
 * the shared data lacks: tiled, LZW/Deflate, Int16/Float32, GDAL nodata and GDAL scale/offset.
 * Georeferencing: UTM 32N (EPSG:32632), upper-left corner (500000, 5600000), 30 m pixels.
 */
final class SyntheticGeoTiff {
  static final double ORIGIN_X = 500000;
  static final double ORIGIN_Y = 5600000;
  static final double PIXEL = 30;

  private SyntheticGeoTiff() {}

  /**
   * @param dataType DataBuffer.TYPE_BYTE, TYPE_SHORT or TYPE_FLOAT
   * @param values per band, row-major raw (stored) values
   * @param compression JDK TIFF compression name ("LZW", "Deflate") or null
   * @param tile tile size, or 0 for strips
   * @param noData GDAL_NODATA text, or null
   * @param scale GDAL scale of band 1 (with offset), or NaN for none
   */
  static Path write(
      Path file,
      int dataType,
      int width,
      int height,
      double[][] values,
      String compression,
      int tile,
      String noData,
      double scale,
      double offset)
      throws IOException {
    int bands = values.length;
    WritableRaster raster =
        Raster.createWritableRaster(
            new java.awt.image.BandedSampleModel(dataType, width, height, bands), null);
    for (int b = 0; b < bands; b++) {
      raster.setSamples(0, 0, width, height, b, values[b]);
    }
    ColorSpace space =
        bands == 3
            ? ColorSpace.getInstance(ColorSpace.CS_sRGB)
            : ColorSpace.getInstance(ColorSpace.CS_GRAY);
    ComponentColorModel colors =
        bands == 1 || bands == 3
            ? new ComponentColorModel(space, false, false, Transparency.OPAQUE, dataType)
            : null;
    BufferedImage image = new BufferedImage(colors, raster, false, new Hashtable<>());
    ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    if (compression != null) {
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionType(compression);
    }
    if (tile > 0) {
      param.setTilingMode(ImageWriteParam.MODE_EXPLICIT);
      param.setTiling(tile, tile, 0, 0);
    }
    IIOMetadata metadata =
        writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
    TIFFDirectory directory = TIFFDirectory.createFromMetadata(metadata);
    directory.addTIFFField(doubles("ModelPixelScaleTag", 33550, new double[] {PIXEL, PIXEL, 0}));
    directory.addTIFFField(
        doubles("ModelTiepointTag", 33922, new double[] {0, 0, 0, ORIGIN_X, ORIGIN_Y, 0}));
    char[] geoKeys = {1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 32632};
    directory.addTIFFField(
        new TIFFField(
            new TIFFTag("GeoKeyDirectoryTag", 34735, 1 << TIFFTag.TIFF_SHORT),
            TIFFTag.TIFF_SHORT,
            geoKeys.length,
            geoKeys));
    if (noData != null) {
      directory.addTIFFField(ascii("GDAL_NODATA", 42113, noData));
    }
    if (!Double.isNaN(scale)) {
      directory.addTIFFField(
          ascii(
              "GDAL_METADATA",
              42112,
              "<GDALMetadata>\n"
                  + "  <Item name=\"OFFSET\" sample=\"0\" role=\"offset\">"
                  + offset
                  + "</Item>\n"
                  + "  <Item name=\"SCALE\" sample=\"0\" role=\"scale\">"
                  + scale
                  + "</Item>\n"
                  + "</GDALMetadata>\n"));
    }
    Files.deleteIfExists(file);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, directory.getAsMetadata()), param);
    } finally {
      writer.dispose();
    }
    return file;
  }

  private static TIFFField doubles(String name, int number, double[] data) {
    return new TIFFField(
        new TIFFTag(name, number, 1 << TIFFTag.TIFF_DOUBLE),
        TIFFTag.TIFF_DOUBLE,
        data.length,
        data);
  }

  private static TIFFField ascii(String name, int number, String text) {
    return new TIFFField(
        new TIFFTag(name, number, 1 << TIFFTag.TIFF_ASCII),
        TIFFTag.TIFF_ASCII,
        1,
        new String[] {text});
  }
}
