/**
 * The rolling-origin evaluation of the forecasting contract: missing-data patterns, baselines
 * (persistence, seasonal-naive, climatology), metrics (CRPS, RMSE, MAE, PICP90/95, MPIW95),
 * report.json/report.md and PNG plots. Entry point: {@link
 * io.terrafield.forecasting.eval.Evaluation}.
 */
package io.terrafield.forecasting.eval;
