package io.terrafield.forecasting.serving;

import io.terrafield.forecasting.eval.Metrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores of the forecasts actually issued, against the observations that arrived later, per band of
 * lead times, next to persistence issued at the same times; the same {@link Metrics} code as {@code
 * terrafield forecast evaluate} (CRPS by the quantile decomposition over 199 levels, PICP90,
 * PICP95, MPIW95, MAE of the median). Thread-safe.
 */
public final class ServedVerification {
  /** The lead-time bands, hours, inclusive. */
  static final int[][] BANDS = {{1, 1}, {2, 3}, {4, 6}, {7, 12}, {13, 24}, {25, 48}, {49, 72}};

  private final Metrics[] served = new Metrics[BANDS.length];
  private final Metrics[] persistence = new Metrics[BANDS.length];

  /** Empty scores (every band n = 0). */
  public ServedVerification() {
    for (int b = 0; b < BANDS.length; b++) {
      served[b] = new Metrics();
      persistence[b] = new Metrics();
    }
  }

  /**
   * Scores one forecast of lead {@code lead} hours (leads outside the bands are ignored): the
   * served and the persistence quantile vectors at {@code QuantileLevels.LEVELS} against the
   * observed y.
   */
  public synchronized void add(
      int lead, double[] servedQuantiles, double[] persistenceQuantiles, double y) {
    int b = band(lead);
    if (b < 0) {
      return;
    }
    served[b].add(servedQuantiles, y);
    persistence[b].add(persistenceQuantiles, y);
  }

  private static int band(int lead) {
    for (int b = 0; b < BANDS.length; b++) {
      if (lead >= BANDS[b][0] && lead <= BANDS[b][1]) {
        return b;
      }
    }
    return -1;
  }

  /** The scores so far, one entry per band (bands without a verified forecast have n = 0). */
  public synchronized List<Band> bands() {
    List<Band> out = new ArrayList<>();
    for (int b = 0; b < BANDS.length; b++) {
      out.add(
          new Band(
              BANDS[b][0] == BANDS[b][1]
                  ? BANDS[b][0] + " h"
                  : BANDS[b][0] + "-" + BANDS[b][1] + " h",
              BANDS[b][0],
              BANDS[b][1],
              served[b].count(),
              Scores.of(served[b]),
              Scores.of(persistence[b])));
    }
    return out;
  }

  /**
   * The verification of one band of lead times.
   *
   * @param label e.g. {@code 4-6 h}
   * @param fromLead first lead, hours
   * @param toLead last lead, hours
   * @param n verified (station, issue, lead) forecasts
   * @param served the served forecast's scores (null when n = 0)
   * @param persistence persistence issued at the same times (null when n = 0)
   */
  public record Band(
      String label, int fromLead, int toLead, long n, Scores served, Scores persistence) {}

  /**
   * Scores in the variable's unit.
   *
   * @param crps mean continuous ranked probability score
   * @param mae mean absolute error of the median
   * @param picp90 share of observations inside the central 90 % interval
   * @param picp95 share inside the central 95 % interval
   * @param mpiw95 mean width of the central 95 % interval
   */
  public record Scores(double crps, double mae, double picp90, double picp95, double mpiw95) {
    static Scores of(Metrics m) {
      if (m.count() == 0) {
        return null;
      }
      return new Scores(m.crps(), m.mae(), m.picp90(), m.picp95(), m.mpiw95());
    }
  }
}
