package io.terrafield.forecasting.eval;

import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.Forecaster;
import io.terrafield.forecasting.NeuralField;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The models of the evaluation protocol, for the served pipeline ({@code
 * io.terrafield.forecasting.serving}), so that what is served is built exactly as what is
 * evaluated.
 */
public final class Models {
  private Models() {}

  /**
   * The evaluated CGLUBNF (or BayesNF, by {@code config}) model: the field fitted on all data
   * before the test start (or loaded from {@code fieldFile} when it exists, saved there after a
   * fit), the streaming residual update and the rolling interval calibration of {@link Forecaster}
   * (see {@code NeuralFieldModel}); quantiles clamped to [0, {@code plausibleMax}].
   *
   * @param fieldFile the versioned field artifact (null: always fit, never save)
   * @param progress where the fit reports progress
   */
  public static NeuralModel neuralField(
      String name, FieldConfig config, Path fieldFile, PrintStream progress, double plausibleMax) {
    return new NeuralModel(new NeuralFieldModel(name, config, fieldFile, progress, plausibleMax));
  }

  /** The persistence baseline (last value with the empirical log-change quantiles per lead). */
  public static ForecastModel persistence() {
    return Baselines.persistence();
  }

  /** A prepared neural-field model, with access to its field for point forecasts. */
  public static final class NeuralModel implements ForecastModel, AutoCloseable {
    private final NeuralFieldModel model;

    private NeuralModel(NeuralFieldModel model) {
      this.model = model;
    }

    @Override
    public String name() {
      return model.name();
    }

    @Override
    public void prepare(io.terrafield.forecasting.SpaceTimeSeries observed, int testStart) {
      model.prepare(observed, testStart);
    }

    @Override
    public double[][][] forecast(
        io.terrafield.forecasting.SpaceTimeSeries observed, int issue, int[] horizons) {
      return model.forecast(observed, issue, horizons);
    }

    /** The fitted field (after {@link #prepare}). */
    public NeuralField field() {
      return model.field();
    }

    /** The calibrated forecaster (after {@link #prepare}): field-only point forecasts. */
    public Forecaster forecaster() {
      return model.forecaster();
    }

    /** The field's weight in the persistence blend of the latest forecast, per horizon. */
    public java.util.Map<Integer, Double> blendWeights() {
      return model.blendWeights();
    }

    /** Whether the field was loaded from its artifact rather than fitted. */
    public boolean loadedFromFile() {
      return model.loadedFromFile();
    }

    /** One line: configuration, fit window, loss, interval factors. */
    public String describe() {
      return model.describe();
    }

    @Override
    public void close() {
      model.close();
    }
  }
}
