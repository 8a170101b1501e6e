/**
 * Spatiotemporal air-quality forecasting with calibrated uncertainty: the CGLUBNF Bayesian neural
 * field (Pian et al. 2025, arXiv 2511.02175) on the BayesNF core (Saad et al. 2024), built on
 * DJL/PyTorch. Public API: {@link io.terrafield.forecasting.NeuralField} (fit, predict, save/load),
 * {@link io.terrafield.forecasting.Forecaster} (quantile forecasts with the streaming residual
 * update and interval calibration), {@link io.terrafield.forecasting.AirQualityDatasets} (readers
 * of the real data sets) and the records {@link io.terrafield.forecasting.FieldConfig}, {@link
 * io.terrafield.forecasting.SpaceTimeSeries}, {@link io.terrafield.forecasting.Station}, {@link
 * io.terrafield.forecasting.FieldPrediction}.
 */
package io.terrafield.forecasting;
