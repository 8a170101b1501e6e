package io.terrafield.forecasting;

/**
 * Per-member Normal predictions of a neural field in its latent scale (see {@link
 * NeuralField#toLatent}); the predictive distribution is their equal-weight mixture.
 *
 * @param mean member means, [member][row]
 * @param sd member standard deviations, [member][row]
 */
public record FieldPrediction(float[][] mean, float[][] sd) {
  /** Ensemble mean of row {@code r}. */
  public double ensembleMean(int r) {
    double sum = 0;
    for (float[] m : mean) {
      sum += m[r];
    }
    return sum / mean.length;
  }
}
