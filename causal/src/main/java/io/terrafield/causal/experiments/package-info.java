/**
 * Reproducible experiments with known truth, built on the public API only: the paper's simulation,
 * a confounded simulation and the "one map, many trials" DHS experiment.
 */
package io.terrafield.causal.experiments;
