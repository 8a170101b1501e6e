package io.terrafield.forecasting.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** PNG plots of an evaluation, drawn with Java2D. */
final class Plots {
  private static final Color[] PALETTE = {
    new Color(0xd62728),
    new Color(0x1f77b4),
    new Color(0x2ca02c),
    new Color(0xff7f0e),
    new Color(0x9467bd),
    new Color(0x8c564b)
  };
  private static final int W = 900;
  private static final int H = 600;
  private static final int M = 70;

  private Plots() {}

  private static Graphics2D canvas(BufferedImage image, String title) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, M, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    return g;
  }

  private static void write(BufferedImage image, Path file) {
    try {
      ImageIO.write(image, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void axes(
      Graphics2D g, double x0, double x1, double y0, double y1, String xl, String yl) {
    g.setColor(Color.BLACK);
    g.drawRect(M, M, W - 2 * M, H - 2 * M);
    for (int i = 0; i <= 5; i++) {
      int px = M + i * (W - 2 * M) / 5;
      int py = H - M - i * (H - 2 * M) / 5;
      g.drawString(String.format("%.3g", x0 + i * (x1 - x0) / 5), px - 12, H - M + 18);
      g.drawString(String.format("%.3g", y0 + i * (y1 - y0) / 5), 8, py + 4);
    }
    g.drawString(xl, W / 2 - 40, H - 20);
    g.drawString(yl, 8, M - 10);
  }

  /** Observed frequency of y ≤ q_α against α, one line per model. */
  static void reliability(Map<String, Metrics> overall, Path file) {
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(image, "Reliability: observed frequency of y <= q(alpha)");
    axes(g, 0, 1, 0, 1, "nominal level alpha", "observed frequency");
    g.setColor(Color.GRAY);
    g.drawLine(M, H - M, W - M, M);
    int i = 0;
    for (Map.Entry<String, Metrics> entry : overall.entrySet()) {
      Metrics m = entry.getValue();
      g.setColor(PALETTE[i % PALETTE.length]);
      g.setStroke(new BasicStroke(2f));
      int px = -1;
      int py = -1;
      for (int k = 4; k < QuantileLevels.LEVELS.length; k += 5) {
        double obs = (double) m.belowQuantile[k] / Math.max(1, m.count());
        int x = M + (int) (QuantileLevels.LEVELS[k] * (W - 2 * M));
        int y = H - M - (int) (obs * (H - 2 * M));
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        g.fillOval(x - 3, y - 3, 6, 6);
        px = x;
        py = y;
      }
      g.drawString(entry.getKey(), M + 10, M + 20 + 16 * i);
      i++;
    }
    g.dispose();
    write(image, file);
  }

  /** PIT histograms, one panel per model; a calibrated model is flat at 1. */
  static void pitHistograms(Map<String, Metrics> overall, Path file) {
    int panels = overall.size();
    int pw = 300;
    int ph = 220;
    BufferedImage image =
        new BufferedImage(
            pw * Math.min(3, panels), 40 + ph * ((panels + 2) / 3), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setColor(Color.BLACK);
    g.drawString("PIT histograms (density; dashed line = uniform)", 10, 20);
    int i = 0;
    for (Map.Entry<String, Metrics> entry : overall.entrySet()) {
      int ox = (i % 3) * pw + 30;
      int oy = 40 + (i / 3) * ph;
      Metrics m = entry.getValue();
      int bw = (pw - 50) / Metrics.PIT_BINS;
      double maxDensity = 3.0;
      g.setColor(PALETTE[i % PALETTE.length]);
      for (int b = 0; b < Metrics.PIT_BINS; b++) {
        double density = m.pitHistogram[b] * Metrics.PIT_BINS / (double) Math.max(1, m.count());
        int bh = (int) (Math.min(density, maxDensity) / maxDensity * (ph - 60));
        g.fillRect(ox + b * bw, oy + ph - 30 - bh, bw - 1, bh);
      }
      g.setColor(Color.BLACK);
      int uniform = oy + ph - 30 - (int) (1 / maxDensity * (ph - 60));
      g.setStroke(
          new BasicStroke(
              1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f}, 0f));
      g.drawLine(ox, uniform, ox + bw * Metrics.PIT_BINS, uniform);
      g.setStroke(new BasicStroke(1f));
      g.drawLine(ox, oy + ph - 30, ox + bw * Metrics.PIT_BINS, oy + ph - 30);
      g.drawString(entry.getKey(), ox, oy + 15);
      i++;
    }
    g.dispose();
    write(image, file);
  }

  /** Fan chart: 95 % and 90 % bands, median and observations along consecutive forecasts. */
  static void fanChart(String title, List<double[]> quantiles, double[] observed, Path file) {
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(image, title);
    int n = quantiles.size();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      lo = Math.min(lo, quantiles.get(i)[QuantileLevels.Q025]);
      hi = Math.max(hi, quantiles.get(i)[QuantileLevels.Q975]);
      if (!Double.isNaN(observed[i])) {
        lo = Math.min(lo, observed[i]);
        hi = Math.max(hi, observed[i]);
      }
    }
    lo = Math.min(lo, 0);
    axes(g, 0, n, lo, hi, "forecast step (consecutive issue times)", "value");
    double finalLo = lo;
    double finalHi = hi;
    java.util.function.DoubleUnaryOperator py =
        v -> H - M - (v - finalLo) / (finalHi - finalLo) * (H - 2 * M);
    java.util.function.IntUnaryOperator px = i -> M + (int) ((i + 0.5) * (W - 2 * M) / (double) n);
    int[][] bands = {
      {QuantileLevels.Q025, QuantileLevels.Q975}, {QuantileLevels.Q05, QuantileLevels.Q95}
    };
    Color[] colors = {new Color(0xc6dbef), new Color(0x6baed6)};
    for (int b = 0; b < bands.length; b++) {
      java.awt.Polygon polygon = new java.awt.Polygon();
      for (int i = 0; i < n; i++) {
        polygon.addPoint(px.applyAsInt(i), (int) py.applyAsDouble(quantiles.get(i)[bands[b][1]]));
      }
      for (int i = n - 1; i >= 0; i--) {
        polygon.addPoint(px.applyAsInt(i), (int) py.applyAsDouble(quantiles.get(i)[bands[b][0]]));
      }
      g.setColor(colors[b]);
      g.fillPolygon(polygon);
    }
    g.setColor(new Color(0x08306b));
    g.setStroke(new BasicStroke(1.5f));
    for (int i = 1; i < n; i++) {
      g.drawLine(
          px.applyAsInt(i - 1),
          (int) py.applyAsDouble(quantiles.get(i - 1)[QuantileLevels.MEDIAN]),
          px.applyAsInt(i),
          (int) py.applyAsDouble(quantiles.get(i)[QuantileLevels.MEDIAN]));
    }
    g.setColor(Color.BLACK);
    for (int i = 0; i < n; i++) {
      if (!Double.isNaN(observed[i])) {
        g.fillOval(px.applyAsInt(i) - 2, (int) py.applyAsDouble(observed[i]) - 2, 4, 4);
      }
    }
    g.drawString("bands: 95 % (light), 90 % (dark); line: median; dots: observed", M + 10, M + 20);
    g.dispose();
    write(image, file);
  }
}
