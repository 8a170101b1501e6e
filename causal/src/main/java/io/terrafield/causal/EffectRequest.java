package io.terrafield.causal;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What to estimate: the units, which column is the binary treatment and which the outcome, the
 * confounders to adjust for, the estimand, the estimator, and how to correct an outcome that is an
 * ML prediction. Build one with {@link #builder(UnitTable, String, String)}.
 *
 * @param units the units (one row each)
 * @param treatment name of the 0/1 treatment column
 * @param outcome name of the outcome column (a label, or a prediction when a correction is used)
 * @param covariates confounder columns (may be empty)
 * @param estimand ATE or ATT
 * @param estimator the estimator
 * @param correction outcome correction for ML-predicted outcomes
 * @param calibration held-out (prediction, label) pairs; required for LCC and Tweedie
 * @param ppiLabel for PPI: a column of fresh labels, NaN where the unit has none
 * @param cluster column whose values define clusters for cluster-robust SEs, or null
 * @param spatial coordinates and cutoff for Conley spatial SEs, or null
 * @param options numerical options
 */
public record EffectRequest(
    UnitTable units,
    String treatment,
    String outcome,
    List<String> covariates,
    Estimand estimand,
    Estimator estimator,
    Correction correction,
    Calibration calibration,
    String ppiLabel,
    String cluster,
    SpatialCutoff spatial,
    Options options) {

  /** Validates the pieces that do not need the data. */
  public EffectRequest {
    Objects.requireNonNull(units, "units");
    Objects.requireNonNull(treatment, "treatment");
    Objects.requireNonNull(outcome, "outcome");
    covariates = List.copyOf(covariates);
    Objects.requireNonNull(estimand, "estimand");
    Objects.requireNonNull(estimator, "estimator");
    Objects.requireNonNull(correction, "correction");
    Objects.requireNonNull(options, "options");
    if ((correction == Correction.LCC
            || correction == Correction.TWEEDIE
            || correction == Correction.LCC_GROUP)
        && calibration == null) {
      throw new CausalInputException(
          "correction '" + correction.cliName() + "' needs a calibration set; none was given");
    }
    if (correction == Correction.LCC_GROUP && calibration.membership() == null) {
      throw new CausalInputException(
          "correction 'lcc-group' needs the treatment rule replicated on the calibration units"
              + " (calibration group / --calibration-group); none was given");
    }
    if (correction == Correction.PPI && ppiLabel == null) {
      throw new CausalInputException("correction 'ppi' needs a column of fresh labels (ppiLabel)");
    }
  }

  /** Starts a request with defaults: ATE, AIPW, no correction, default options. */
  public static Builder builder(UnitTable units, String treatment, String outcome) {
    return new Builder(units, treatment, outcome);
  }

  /** Returns a copy with other options. */
  public EffectRequest withOptions(Options newOptions) {
    return new EffectRequest(
        units,
        treatment,
        outcome,
        covariates,
        estimand,
        estimator,
        correction,
        calibration,
        ppiLabel,
        cluster,
        spatial,
        newOptions);
  }

  /** Returns a copy with other units (same column names). */
  public EffectRequest withUnits(UnitTable newUnits) {
    return new EffectRequest(
        newUnits,
        treatment,
        outcome,
        covariates,
        estimand,
        estimator,
        correction,
        calibration,
        ppiLabel,
        cluster,
        spatial,
        options);
  }

  /** Average treatment effect over all units, or on the treated units only. */
  public enum Estimand {
    ATE,
    ATT;

    /** Parses "ate" or "att". */
    public static Estimand parse(String text) {
      return parseEnum(Estimand.class, text, "estimand");
    }
  }

  /** The effect estimators. */
  public enum Estimator {
    /** Difference in means (no adjustment). */
    DIM,
    /** Regression imputation with one OLS model per arm (Lin 2013). */
    OLS,
    /** Hájek (normalised) inverse propensity weighting. */
    IPW,
    /** Augmented IPW (doubly robust), with K-fold cross-fitting. */
    AIPW,
    /** Double/debiased ML (Chernozhukov et al. 2018), partially linear or interactive model. */
    DML;

    /** Parses dim, ols, ipw, aipw or dml. */
    public static Estimator parse(String text) {
      return parseEnum(Estimator.class, text, "estimator");
    }
  }

  /** Correction of an outcome that is an ML prediction (Pettersson, Jerzak, Daoud 2025). */
  public enum Correction {
    /** Use the outcome as it is. */
    NONE,
    /** Linear calibration correction: invert the OLS fit prediction = m + k label. */
    LCC,
    /** Tweedie's correction: prediction - sigma^2 d/dy log p(prediction). */
    TWEEDIE,
    /** Prediction-powered inference with fresh labels on some units (comparison). */
    PPI,
    /**
     * LCC with a group term: invert prediction = m + k label + gamma g fitted on calibration pairs
     * that carry the treatment rule g, so that what the map sees of the group beyond wealth is
     * removed: Y~ = (Yhat - m - gamma A) / k. Needs {@link Calibration#membership()}.
     */
    LCC_GROUP;

    /** Lower-case name as used on the command line ({@code lcc-group}). */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses none, lcc, tweedie, ppi or lcc-group. */
    public static Correction parse(String text) {
      for (Correction value : values()) {
        if (value.cliName().equalsIgnoreCase(text == null ? "" : text.trim())) {
          return value;
        }
      }
      throw new CausalInputException(
          "correction '" + text + "' is not one of: none, lcc, tweedie, ppi, lcc-group");
    }
  }

  /** Nuisance learners for propensity and outcome models. */
  public enum Learner {
    /** Ridge regression and L2-regularised logistic regression. */
    LINEAR,
    /** Gradient-boosted trees (XGBoost4J). */
    BOOSTING;

    /** Parses linear or boosting. */
    public static Learner parse(String text) {
      return parseEnum(Learner.class, text, "learner");
    }
  }

  /** DML model: partially linear (Robinson) or interactive (AIPW score). */
  public enum DmlModel {
    PLR,
    IRM;

    /** Parses plr or irm. */
    public static DmlModel parse(String text) {
      return parseEnum(DmlModel.class, text, "dml model");
    }
  }

  /** How the standard error is obtained. */
  public enum Bootstrap {
    /** Influence-function (sandwich) standard errors only. */
    NONE,
    /** Gaussian multiplier bootstrap of the influence function (fast; no refits). */
    MULTIPLIER,
    /** Resample units (or clusters) and refit every nuisance model. */
    NONPARAMETRIC;

    /** Parses none, multiplier or nonparametric. */
    public static Bootstrap parse(String text) {
      return parseEnum(Bootstrap.class, text, "bootstrap");
    }
  }

  /** What to do with units that have a missing (NaN) covariate. */
  public enum MissingPolicy {
    /** Reject the request, naming the column and row. */
    ERROR,
    /** Drop those units and report how many were dropped. */
    DROP;

    /** Parses error or drop. */
    public static MissingPolicy parse(String text) {
      return parseEnum(MissingPolicy.class, text, "missing policy");
    }
  }

  /**
   * Held-out (prediction, label) pairs from the map's producer.
   *
   * @param predictions model predictions
   * @param labels ground-truth labels for the same units
   * @param source where the pairs came from, for the report
   * @param strata optional stratum of each pair (e.g. the country or survey), or null: the
   *     correction diagnostics then check that k and the group effect are stable across strata
   * @param membership optional 0/1 treatment rule replicated on the calibration units (e.g. the
   *     urban indicator when the contrast is urban vs rural), or null: the diagnostics then test
   *     whether the map's error depends on group membership beyond the label
   */
  public record Calibration(
      double[] predictions, double[] labels, String source, String[] strata, double[] membership) {
    /** Checks that the arrays have one length and that membership is 0/1. */
    public Calibration {
      if (predictions.length != labels.length) {
        throw new CausalInputException(
            "calibration has "
                + predictions.length
                + " predictions but "
                + labels.length
                + " labels");
      }
      if (strata != null && strata.length != labels.length) {
        throw new CausalInputException(
            "calibration strata has " + strata.length + " values for " + labels.length + " pairs");
      }
      if (membership != null) {
        if (membership.length != labels.length) {
          throw new CausalInputException(
              "calibration group has "
                  + membership.length
                  + " values for "
                  + labels.length
                  + " pairs");
        }
        for (int i = 0; i < membership.length; i++) {
          if (membership[i] != 0.0 && membership[i] != 1.0 && !Double.isNaN(membership[i])) {
            throw new CausalInputException(
                "calibration group row "
                    + (i + 1)
                    + ": value "
                    + membership[i]
                    + " is not binary (expected 0/1, or empty for a unit in neither arm)");
          }
        }
      }
    }

    /** Pairs without strata or group membership. */
    public Calibration(double[] predictions, double[] labels, String source) {
      this(predictions, labels, source, null, null);
    }

    /** A copy with the strata (e.g. the country of each pair). */
    public Calibration withStrata(String[] values) {
      return new Calibration(predictions, labels, source, values, membership);
    }

    /** A copy with the treatment rule replicated on the calibration units. */
    public Calibration withMembership(double[] values) {
      return new Calibration(predictions, labels, source, strata, values);
    }

    /**
     * Calibration pairs centred within groups (group fixed effects), for a producer whose labelled
     * pairs come from several surveys or countries. Each group's mean prediction and mean label are
     * replaced by the pooled means, so the LCC slope k is the within-group slope of prediction on
     * label and sigma^2 = Var(label - prediction) is the within-group residual variance: level
     * differences between the groups (a country's offset) no longer enter k or sigma^2. The pairs
     * keep the pooled level, so the intercept and the range check stay on the map's scale.
     *
     * @param predictions model predictions
     * @param labels ground-truth labels for the same units
     * @param groups group of each pair (e.g. the country)
     * @param source where the pairs came from, for the report
     * @throws CausalInputException when the lengths differ
     */
    public static Calibration centredWithin(
        double[] predictions, double[] labels, String[] groups, String source) {
      if (groups.length != predictions.length || labels.length != predictions.length) {
        throw new CausalInputException(
            "calibration has "
                + predictions.length
                + " predictions, "
                + labels.length
                + " labels and "
                + groups.length
                + " groups");
      }
      java.util.Map<String, double[]> sums = new java.util.HashMap<>();
      for (int i = 0; i < groups.length; i++) {
        double[] s = sums.computeIfAbsent(groups[i], g -> new double[3]);
        s[0] += predictions[i];
        s[1] += labels[i];
        s[2]++;
      }
      double meanPrediction = java.util.Arrays.stream(predictions).average().orElse(0);
      double meanLabel = java.util.Arrays.stream(labels).average().orElse(0);
      double[] p = new double[predictions.length];
      double[] l = new double[labels.length];
      for (int i = 0; i < groups.length; i++) {
        double[] s = sums.get(groups[i]);
        p[i] = predictions[i] - s[0] / s[2] + meanPrediction;
        l[i] = labels[i] - s[1] / s[2] + meanLabel;
      }
      return new Calibration(
          p, l, source + ", centred within " + sums.size() + " groups", groups, null);
    }
  }

  /**
   * Conley spatial standard errors: units closer than {@code cutoffKm} are correlated (Bartlett
   * kernel weights 1 - d/cutoff).
   *
   * @param latitude latitude column (degrees)
   * @param longitude longitude column (degrees)
   * @param cutoffKm distance cutoff in kilometres
   */
  public record SpatialCutoff(String latitude, String longitude, double cutoffKm) {
    /** Checks the cutoff. */
    public SpatialCutoff {
      if (!(cutoffKm > 0)) {
        throw new CausalInputException("Conley cutoff must be > 0 km, got " + cutoffKm);
      }
    }
  }

  /**
   * Numerical options.
   *
   * @param level confidence level of the interval, e.g. 0.95
   * @param folds number of cross-fitting folds for AIPW and DML (1 = no cross-fitting)
   * @param learner nuisance learner
   * @param dmlModel DML model (ATT always uses the interactive model)
   * @param trim propensity scores are clipped to [trim, 1 - trim]
   * @param bootstrap standard-error method
   * @param bootstrapReplications replications of the bootstrap
   * @param calibrationReplications bootstrap replications over the calibration set
   * @param missing what to do with NaN covariates
   * @param seed random seed (folds, bootstraps)
   */
  public record Options(
      double level,
      int folds,
      Learner learner,
      DmlModel dmlModel,
      double trim,
      Bootstrap bootstrap,
      int bootstrapReplications,
      int calibrationReplications,
      MissingPolicy missing,
      long seed) {

    /** Checks ranges. */
    public Options {
      if (!(level > 0 && level < 1)) {
        throw new CausalInputException("level must be in (0, 1), got " + level);
      }
      if (folds < 1) {
        throw new CausalInputException("folds must be >= 1, got " + folds);
      }
      if (!(trim >= 0 && trim < 0.5)) {
        throw new CausalInputException("trim must be in [0, 0.5), got " + trim);
      }
      if (bootstrapReplications < 2) {
        throw new CausalInputException(
            "bootstrap replications must be >= 2, got " + bootstrapReplications);
      }
      if (calibrationReplications < 0) {
        throw new CausalInputException(
            "calibration replications must be >= 0, got " + calibrationReplications);
      }
      Objects.requireNonNull(learner, "learner");
      Objects.requireNonNull(dmlModel, "dmlModel");
      Objects.requireNonNull(bootstrap, "bootstrap");
      Objects.requireNonNull(missing, "missing");
    }

    /** Defaults: 95 %, 5 folds, linear learners, PLR, trim 0.01, IF SEs, 200 calibration reps. */
    public static Options defaults() {
      return new Options(
          0.95,
          5,
          Learner.LINEAR,
          DmlModel.PLR,
          0.01,
          Bootstrap.NONE,
          1000,
          200,
          MissingPolicy.ERROR,
          20250801L);
    }

    /** Copy with another level. */
    public Options withLevel(double newLevel) {
      return new Options(
          newLevel,
          folds,
          learner,
          dmlModel,
          trim,
          bootstrap,
          bootstrapReplications,
          calibrationReplications,
          missing,
          seed);
    }

    /** Copy with another seed. */
    public Options withSeed(long newSeed) {
      return new Options(
          level,
          folds,
          learner,
          dmlModel,
          trim,
          bootstrap,
          bootstrapReplications,
          calibrationReplications,
          missing,
          newSeed);
    }
  }

  /** Fluent construction of a request. */
  public static final class Builder {
    private final UnitTable units;
    private final String treatment;
    private final String outcome;
    private List<String> covariates = List.of();
    private Estimand estimand = Estimand.ATE;
    private Estimator estimator = Estimator.AIPW;
    private Correction correction = Correction.NONE;
    private Calibration calibration;
    private String ppiLabel;
    private String cluster;
    private SpatialCutoff spatial;
    private Options options = Options.defaults();

    private Builder(UnitTable units, String treatment, String outcome) {
      this.units = units;
      this.treatment = treatment;
      this.outcome = outcome;
    }

    /** Confounder columns. */
    public Builder covariates(List<String> names) {
      this.covariates = names;
      return this;
    }

    /** ATE or ATT. */
    public Builder estimand(Estimand value) {
      this.estimand = value;
      return this;
    }

    /** The estimator. */
    public Builder estimator(Estimator value) {
      this.estimator = value;
      return this;
    }

    /** Outcome correction; LCC and Tweedie also need {@link #calibration}. */
    public Builder correction(Correction value) {
      this.correction = value;
      return this;
    }

    /** Calibration pairs. */
    public Builder calibration(Calibration value) {
      this.calibration = value;
      return this;
    }

    /** Column of fresh labels for PPI. */
    public Builder ppiLabel(String column) {
      this.ppiLabel = column;
      return this;
    }

    /** Cluster column for cluster-robust SEs. */
    public Builder cluster(String column) {
      this.cluster = column;
      return this;
    }

    /** Conley spatial SEs. */
    public Builder spatial(SpatialCutoff value) {
      this.spatial = value;
      return this;
    }

    /** Numerical options. */
    public Builder options(Options value) {
      this.options = value;
      return this;
    }

    /** Builds the request. */
    public EffectRequest build() {
      return new EffectRequest(
          units,
          treatment,
          outcome,
          covariates,
          estimand,
          estimator,
          correction,
          calibration,
          ppiLabel,
          cluster,
          spatial,
          options);
    }
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String text, String field) {
    for (E value : type.getEnumConstants()) {
      if (value.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return value;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E value : type.getEnumConstants()) {
      allowed
          .append(allowed.length() == 0 ? "" : ", ")
          .append(value.name().toLowerCase(Locale.ROOT));
    }
    throw new CausalInputException(field + " '" + text + "' is not one of: " + allowed);
  }
}
