package io.terrafield.causal;

import java.util.List;
import java.util.Locale;

/**
 * The calibration set's summary for the two label-free corrections of Pettersson, Jerzak and Daoud
 * (2025, "One map, many trials", arXiv 2508.01341).
 *
 * <pre>
 * Linear calibration correction (LCC): fit OLS of prediction on label on the calibration pairs,
 *   Yhat = m + k Y + e, then invert on the map: Y~ = (Yhat - m) / k.
 * Tweedie's correction (Berkson / score form): with sigma^2 = Var(Y - Yhat) on the calibration
 *   pairs and p^ a kernel density estimate of the map's predictions,
 *   Y~ = Yhat - sigma^2 d/dyhat log p^(Yhat)
 *   which undoes the shrinkage E[Y | X] imposes (for Gaussian Y it maps Yhat back to m + (Yhat-m)/k).
 * </pre>
 *
 * Both corrected outcomes are affine in the calibration quantities: Y~ = alpha + beta Yhat + gamma
 * S(Yhat) with S the KDE score, so the effect of a corrected outcome is beta theta(Yhat) + gamma
 * theta(S) for estimators that are linear in the outcome (every estimator here with the linear
 * learners; additive constants cancel in a contrast).
 *
 * @param n calibration pairs
 * @param slope k
 * @param slopeSe standard error of k
 * @param intercept m
 * @param residualVariance sigma^2 = Var(label - prediction)
 * @param minPrediction smallest calibration prediction
 * @param maxPrediction largest calibration prediction
 */
record CalibrationFit(
    int n,
    double slope,
    double slopeSe,
    double intercept,
    double residualVariance,
    double minPrediction,
    double maxPrediction) {

  static final int SMALL_CALIBRATION_SET = 100;

  /**
   * Fits the calibration summary.
   *
   * @throws CausalInputException for fewer than 3 pairs, missing values, constant labels or a slope
   *     indistinguishable from zero (or negative)
   */
  static CalibrationFit fit(double[] predictions, double[] labels) {
    int n = predictions.length;
    if (n < 3) {
      throw new CausalInputException("calibration set has " + n + " pairs; need at least 3");
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(predictions[i]) || !Double.isFinite(labels[i])) {
        throw new CausalInputException(
            "calibration pair "
                + (i + 1)
                + " is missing or not finite: prediction="
                + predictions[i]
                + ", label="
                + labels[i]);
      }
    }
    return fitUnchecked(predictions, labels, true);
  }

  static CalibrationFit fitUnchecked(double[] predictions, double[] labels, boolean strict) {
    int n = predictions.length;
    double mp = 0;
    double ml = 0;
    for (int i = 0; i < n; i++) {
      mp += predictions[i];
      ml += labels[i];
    }
    mp /= n;
    ml /= n;
    double sll = 0;
    double slp = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double meanResidual = 0;
    for (int i = 0; i < n; i++) {
      sll += (labels[i] - ml) * (labels[i] - ml);
      slp += (labels[i] - ml) * (predictions[i] - mp);
      min = Math.min(min, predictions[i]);
      max = Math.max(max, predictions[i]);
      meanResidual += labels[i] - predictions[i];
    }
    meanResidual /= n;
    if (strict && !(sll > 0)) {
      throw new CausalInputException(
          "calibration labels are constant (all " + labels[0] + "): no slope can be estimated");
    }
    double k = slp / sll;
    double m = mp - k * ml;
    double sse = 0;
    double residualVariance = 0;
    for (int i = 0; i < n; i++) {
      double r = predictions[i] - m - k * labels[i];
      sse += r * r;
      double d = labels[i] - predictions[i] - meanResidual;
      residualVariance += d * d;
    }
    residualVariance /= n - 1;
    double se = Math.sqrt(sse / (n - 2) / sll);
    if (strict && !(k > 0 && k > 2 * se)) {
      throw new CausalInputException(
          String.format(
              Locale.ROOT,
              "calibration slope k = %.4g (SE %.3g) of prediction on label is not distinguishably"
                  + " positive: the predictions carry no usable signal about the label, so the"
                  + " LCC inversion (Yhat - m)/k and Tweedie's correction are undefined",
              k,
              se));
    }
    return new CalibrationFit(n, k, se, m, residualVariance, min, max);
  }

  /** Adds warnings for a small calibration set and predictions outside its range. */
  int warn(double[] mapPredictions, List<String> warnings) {
    if (n < SMALL_CALIBRATION_SET) {
      warnings.add(
          "calibration set is small (n = "
              + n
              + " < "
              + SMALL_CALIBRATION_SET
              + "): the correction and its uncertainty are noisy");
    }
    int outside = 0;
    for (double v : mapPredictions) {
      if (v < minPrediction || v > maxPrediction) {
        outside++;
      }
    }
    if (outside > 0) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "%d of %d predictions lie outside the calibration predictions' range [%.4g, %.4g]:"
                  + " the correction extrapolates there",
              outside,
              mapPredictions.length,
              minPrediction,
              maxPrediction));
    }
    return outside;
  }
}
