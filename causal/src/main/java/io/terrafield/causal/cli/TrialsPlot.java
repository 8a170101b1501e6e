package io.terrafield.causal.cli;

import io.terrafield.causal.experiments.DhsTrials;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** Scatter of trial estimates (raw, LCC, Tweedie) against the label-based estimates, as a PNG. */
final class TrialsPlot {
  private static final int SIZE = 900;
  private static final int MARGIN = 70;

  private TrialsPlot() {}

  static void write(List<DhsTrials.Trial> shown, String title, Path png) throws IOException {
    if (shown.isEmpty()) {
      return;
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (DhsTrials.Trial t : shown) {
      for (double v : new double[] {t.truth(), t.raw(), t.lcc(), t.tweedie()}) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, SIZE, SIZE);
    g.setColor(Color.LIGHT_GRAY);
    g.setStroke(new BasicStroke(2));
    final double min = lo;
    final double span = hi - lo;
    java.util.function.DoubleUnaryOperator px =
        v -> MARGIN + (v - min) / span * (SIZE - 2 * MARGIN);
    java.util.function.DoubleUnaryOperator py =
        v -> SIZE - MARGIN - (v - min) / span * (SIZE - 2 * MARGIN);
    g.drawLine(
        (int) px.applyAsDouble(lo),
        (int) py.applyAsDouble(lo),
        (int) px.applyAsDouble(hi),
        (int) py.applyAsDouble(hi));
    g.setColor(Color.BLACK);
    g.drawRect(MARGIN, MARGIN, SIZE - 2 * MARGIN, SIZE - 2 * MARGIN);
    dots(g, shown, DhsTrials.Trial::raw, new Color(200, 60, 60, 150), px, py);
    dots(g, shown, DhsTrials.Trial::lcc, new Color(60, 120, 200, 150), px, py);
    dots(g, shown, DhsTrials.Trial::tweedie, new Color(40, 160, 80, 150), px, py);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
    g.setColor(Color.BLACK);
    g.drawString(title, MARGIN, 40);
    g.drawString("estimate on true labels", SIZE / 2 - 90, SIZE - 25);
    g.drawString(String.format(java.util.Locale.ROOT, "%.2f", lo), MARGIN - 10, SIZE - 50);
    g.drawString(String.format(java.util.Locale.ROOT, "%.2f", hi), SIZE - MARGIN - 30, SIZE - 50);
    g.setColor(new Color(200, 60, 60));
    g.drawString("raw", MARGIN + 15, MARGIN + 25);
    g.setColor(new Color(60, 120, 200));
    g.drawString("LCC", MARGIN + 15, MARGIN + 50);
    g.setColor(new Color(40, 160, 80));
    g.drawString("Tweedie", MARGIN + 15, MARGIN + 75);
    g.dispose();
    ImageIO.write(image, "png", png.toFile());
  }

  private static void dots(
      Graphics2D g,
      List<DhsTrials.Trial> trials,
      ToDoubleFunction<DhsTrials.Trial> value,
      Color color,
      java.util.function.DoubleUnaryOperator px,
      java.util.function.DoubleUnaryOperator py) {
    g.setColor(color);
    for (DhsTrials.Trial t : trials) {
      int x = (int) px.applyAsDouble(t.truth());
      int y = (int) py.applyAsDouble(value.applyAsDouble(t));
      g.fillOval(x - 4, y - 4, 8, 8);
    }
  }
}
