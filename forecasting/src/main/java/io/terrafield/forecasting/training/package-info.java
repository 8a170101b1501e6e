/**
 * Training apart from serving (issue #11): {@link io.terrafield.forecasting.training.FieldTraining}
 * fits the served field on a history and writes a versioned artifact into a {@link
 * io.terrafield.forecasting.training.ModelDirectory} atomically; the forecast job reads the newest
 * {@link io.terrafield.forecasting.training.ModelArtifact} from it and swaps it in.
 */
package io.terrafield.forecasting.training;
