package io.terrafield.forecasting;

/**
 * Configuration of a neural field fit.
 *
 * @param graphAttention add the graph-attention spatial context encoder (CGLUBNF)
 * @param gatedUnits use channel gated learning units for the hidden layers (CGLUBNF)
 * @param members ensemble members (MAP solutions trained as one batched computation)
 * @param width hidden width
 * @param depth number of hidden layers (≥ 1)
 * @param fourierDegrees spatial Fourier degrees D (frequencies 2^0 .. 2^(D−1))
 * @param epochs passes over the observed training rows
 * @param batchSize rows per Adam step
 * @param learningRate Adam learning rate (cosine-decayed to 10 % over the run)
 * @param neighbours k nearest stations attended to by the graph encoder
 * @param contextDim dimension of the spatial context encoding
 * @param seed seed of initialisation and batch order
 */
public record FieldConfig(
    boolean graphAttention,
    boolean gatedUnits,
    int members,
    int width,
    int depth,
    int fourierDegrees,
    int epochs,
    int batchSize,
    double learningRate,
    int neighbours,
    int contextDim,
    long seed)
    implements java.io.Serializable {

  /** Validates ranges, naming the field and value. */
  public FieldConfig {
    positive("members", members);
    positive("width", width);
    positive("depth", depth);
    positive("fourierDegrees", fourierDegrees);
    positive("epochs", epochs);
    positive("batchSize", batchSize);
    positive("neighbours", neighbours);
    positive("contextDim", contextDim);
    if (!(learningRate > 0 && learningRate < 1)) {
      throw new ForecastingException("learningRate must be in (0, 1), got " + learningRate);
    }
  }

  private static void positive(String field, int value) {
    if (value < 1) {
      throw new ForecastingException(field + " must be >= 1, got " + value);
    }
  }

  /** The BayesNF core (Saad et al. 2024) with the defaults used in the evaluation. */
  public static FieldConfig bayesnf() {
    return new FieldConfig(false, false, 8, 256, 2, 5, 12, 4096, 0.005, 8, 16, 42);
  }

  /** CGLUBNF (Pian et al. 2025): BayesNF plus graph attention and gated learning units. */
  public static FieldConfig cglubnf() {
    return new FieldConfig(true, true, 8, 256, 2, 5, 12, 4096, 0.005, 8, 16, 42);
  }

  /** A copy with other sizes (CLI overrides). */
  public FieldConfig withSizes(int newMembers, int newWidth, int newEpochs) {
    return new FieldConfig(
        graphAttention,
        gatedUnits,
        newMembers,
        newWidth,
        depth,
        fourierDegrees,
        newEpochs,
        batchSize,
        learningRate,
        neighbours,
        contextDim,
        seed);
  }

  /** A copy with another seed. */
  public FieldConfig withSeed(long newSeed) {
    return new FieldConfig(
        graphAttention,
        gatedUnits,
        members,
        width,
        depth,
        fourierDegrees,
        epochs,
        batchSize,
        learningRate,
        neighbours,
        contextDim,
        newSeed);
  }
}
