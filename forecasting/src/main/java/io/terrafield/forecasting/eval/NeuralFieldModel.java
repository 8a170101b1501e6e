package io.terrafield.forecasting.eval;

import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.Forecaster;
import io.terrafield.forecasting.NeuralField;
import io.terrafield.forecasting.SpaceTimeSeries;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The neural fields under evaluation.
 *
 * <ul>
 *   <li>{@code bayesnf}: the BayesNF core fitted on all data before the test period; the predictive
 *       distribution is the field's mixture alone (no update, no calibration).
 *   <li>{@code cglubnf}: graph attention + CGLUs, fitted on the data before a held-out slice at the
 *       end of the training period (60 days for hourly data, 120 days for daily data), with the
 *       streaming residual update, and the per-horizon interval calibration chosen on that slice
 *       (see {@link Forecaster}).
 * </ul>
 */
final class NeuralFieldModel implements ForecastModel, AutoCloseable {
  private final String name;
  private final FieldConfig config;
  private NeuralField field;
  private Forecaster forecaster;
  private SpaceTimeSeries observed;
  private int calibrationStart;
  private int testStart;

  NeuralFieldModel(String name, FieldConfig config) {
    this.name = name;
    this.config = config;
  }

  @Override
  public String name() {
    return name;
  }

  private boolean enhanced() {
    return config.graphAttention() || config.gatedUnits();
  }

  @Override
  public void prepare(SpaceTimeSeries observed, int testStart) {
    this.observed = observed;
    this.testStart = testStart;
    int stepsPerDay = (int) (Duration.ofDays(1).getSeconds() / observed.step().getSeconds());
    int heldOutDays = observed.hourly() ? 60 : 120;
    this.calibrationStart = enhanced() ? testStart - heldOutDays * stepsPerDay : testStart;
    this.field = NeuralField.fit(observed, calibrationStart, config, System.err);
    this.forecaster =
        enhanced()
            ? Forecaster.create(field, observed, calibrationStart, testStart, true)
            : Forecaster.create(field, observed, testStart, false);
  }

  @Override
  public double[][][] forecast(SpaceTimeSeries observed, int issue, int[] horizons) {
    if (enhanced()) {
      int[] missing =
          Arrays.stream(horizons)
              .filter(h -> !forecaster.calibrationFactors().containsKey(h))
              .toArray();
      if (missing.length > 0) {
        forecaster.calibrate(this.observed, calibrationStart, testStart, missing);
      }
    }
    return forecaster.forecastStations(observed, issue, horizons, QuantileLevels.LEVELS);
  }

  String describe() {
    return String.format(
        Locale.ROOT,
        "%s; fitted before index %d; final loss %.4f; %d non-finite steps skipped; %.0f rows x members / s; calibration %s",
        config,
        calibrationStart,
        field.lastLoss(),
        field.skippedSteps(),
        field.rowsMembersPerSecond(),
        forecaster.calibrationFactors());
  }

  @Override
  public void close() {
    if (field != null) {
      field.close();
    }
  }
}
