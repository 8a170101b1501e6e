/**
 * Causal effect estimates from satellite data: {@link io.terrafield.causal.EffectEstimator}
 * estimates an ATE or ATT by difference in means, OLS regression imputation, Hájek IPW, AIPW or DML
 * with K-fold cross-fitting, on a surveyed outcome or on an ML-predicted outcome debiased by linear
 * calibration (LCC) or Tweedie's correction (Pettersson, Jerzak and Daoud 2025), with PPI as the
 * comparison when fresh labels exist. Requests and results are records ({@link
 * io.terrafield.causal.EffectRequest}, {@link io.terrafield.causal.EffectResult}); units come as a
 * {@link io.terrafield.causal.UnitTable}; bad input raises {@link
 * io.terrafield.causal.CausalInputException}. Everything else is package-private.
 */
package io.terrafield.causal;
