package io.terrafield.causal;

import io.terrafield.causal.EffectRequest.Bootstrap;
import io.terrafield.causal.EffectRequest.Correction;
import io.terrafield.causal.EffectRequest.MissingPolicy;
import io.terrafield.causal.EffectRequest.Options;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Estimates a treatment effect (ATE or ATT) with DiM, OLS adjustment, Hájek IPW, AIPW or DML,
 * optionally on an ML-predicted outcome corrected by LCC or Tweedie's formula (Pettersson, Jerzak
 * and Daoud 2025) or combined with fresh labels by prediction-powered inference (Angelopoulos et
 * al. 2023). Every result carries diagnostics: propensity overlap, covariate balance before and
 * after weighting, effective sample sizes, an E-value and, for corrected outcomes, the calibration
 * fit.
 *
 * <p>Standard errors come from the influence function (iid, cluster-robust by a column, or Conley
 * spatial), optionally from a multiplier or nonparametric bootstrap. With LCC or Tweedie the SE
 * adds the variance of the estimate over a bootstrap of the calibration pairs, so that the CI
 * includes calibration uncertainty: se^2 = se_sampling^2 + se_calibration^2 (the two samples are
 * independent). The CI is estimate +- z se.
 *
 * <p>For the difference in means (and OLS or IPW without covariates, which are the same estimator)
 * with the iid SE, the sampling variance is Neyman's s1^2/n1 + s0^2/n0 with the unbiased per-arm
 * variances (Imbens and Rubin 2015, ch. 6) and, without a bootstrap or PPI, the critical value is
 * Student t with the Welch-Satterthwaite df (Welch 1947; Satterthwaite 1946), the calibration
 * variance counted as known; {@code uncertainty.reference} is then "welch-t(df)". The ATT of DiM is
 * the same contrast (with randomised treatment ATT = ATE) and gets the same variance. When an arm
 * has fewer than {@link StandardErrors#SMALL_ARM} units every estimator adds a warning.
 *
 * <p>Bad input raises {@link CausalInputException} with the field and value named. Instances are
 * stateless and thread-safe.
 */
public final class EffectEstimator {

  /** Creates an estimator. */
  public EffectEstimator() {}

  /**
   * Estimates the effect described by the request.
   *
   * @throws CausalInputException for bad input (see the class comment)
   */
  public EffectResult estimate(EffectRequest request) {
    Prepared data = Prepared.from(request);
    Options options = request.options();
    List<String> warnings = new ArrayList<>();
    List<String> notes = new ArrayList<>(data.notes);
    EffectEngine engine =
        EffectEngine.prepare(
            data.x, data.a, request.estimand(), request.estimator(), options, request.covariates());
    ModelChecks.check(data.x, data.a, data.y, request.estimator(), options, request.covariates());
    warnings.addAll(engine.warnings());
    notes.addAll(engine.notes());

    double[] outcome = data.y;
    double estimate;
    double[] psi;
    double seCalibration = 0;
    double seExtraSampling = 0;
    EffectResult.CalibrationSummary calibrationSummary = null;
    AdvisorParts advisorInputs = null;
    Correction correction = request.correction();
    switch (correction) {
      case NONE -> {
        EffectEngine.Fit fit = engine.estimate(outcome);
        estimate = fit.estimate();
        psi = fit.influence();
      }
      case LCC, TWEEDIE, LCC_GROUP -> {
        EffectRequest.Calibration calibration = request.calibration();
        CalibrationFit cal = CalibrationFit.fit(calibration.predictions(), calibration.labels());
        int outside = cal.warn(data.y, warnings);
        EffectEngine.Fit raw = engine.estimate(data.y);
        GaussianKde kde = GaussianKde.silverman(data.y);
        double[] score = new double[data.n];
        for (int i = 0; i < data.n; i++) {
          score[i] = kde.score(data.y[i]);
        }
        EffectEngine.Fit scoreFit = engine.estimate(score);
        double[] treatmentAsOutcome = new double[data.n];
        for (int i = 0; i < data.n; i++) {
          treatmentAsOutcome[i] = data.a[i];
        }
        EffectEngine.Fit treatmentFit = engine.estimate(treatmentAsOutcome);
        double bandwidth = correction == Correction.TWEEDIE ? kde.bandwidth() : Double.NaN;
        double[] corrected = new double[data.n];
        double slope = cal.slope();
        double intercept = cal.intercept();
        if (correction == Correction.LCC) {
          for (int i = 0; i < data.n; i++) {
            corrected[i] = (data.y[i] - intercept) / slope;
          }
        } else if (correction == Correction.LCC_GROUP) {
          GroupCalibration.Fit group =
              GroupCalibration.fit(
                  calibration.predictions(),
                  calibration.labels(),
                  calibration.membership(),
                  calibration.strata());
          if (!Double.isFinite(group.gamma())) {
            throw new CausalInputException(
                "correction 'lcc-group': the calibration group is constant within every"
                    + " calibration stratum, so its effect on the predictions is not identified");
          }
          slope = group.slope();
          intercept = group.intercept();
          for (int i = 0; i < data.n; i++) {
            corrected[i] = (data.y[i] - group.intercept() - group.gamma() * data.a[i]) / slope;
          }
        } else {
          for (int i = 0; i < data.n; i++) {
            corrected[i] = data.y[i] - cal.residualVariance() * score[i];
          }
        }
        outcome = corrected;
        EffectEngine.Fit fit = engine.estimate(corrected);
        estimate = fit.estimate();
        psi = fit.influence();
        advisorInputs =
            new AdvisorParts(calibration, cal, raw, scoreFit, treatmentFit, options.seed());
        seCalibration =
            calibrationBootstrap(
                calibration,
                correction,
                raw.estimate(),
                scoreFit.estimate(),
                treatmentFit.estimate(),
                options,
                notes);
        if (request.options().learner() == EffectRequest.Learner.BOOSTING
            && options.calibrationReplications() > 0) {
          notes.add(
              "calibration uncertainty propagated linearly (exact for linear learners,"
                  + " approximate for boosted outcome models)");
        }
        calibrationSummary =
            new EffectResult.CalibrationSummary(
                calibration.source(),
                cal.n(),
                slope,
                cal.slopeSe(),
                intercept,
                cal.residualVariance(),
                bandwidth,
                outside,
                raw.estimate());
      }
      case PPI -> {
        EffectEngine.Fit onPredictions = engine.estimate(data.y);
        PpiPart rectifier = ppiRectifier(request, data, notes);
        estimate = onPredictions.estimate() + rectifier.estimate;
        psi = onPredictions.influence();
        seExtraSampling = rectifier.se;
        calibrationSummary =
            new EffectResult.CalibrationSummary(
                "fresh labels in column '" + request.ppiLabel() + "'",
                rectifier.labelled,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                0,
                onPredictions.estimate());
      }
      default -> throw new IllegalStateException("unknown correction " + correction);
    }

    double seInfluence = StandardErrors.influence(psi);
    String method = "influence";
    double seSampling = seInfluence;
    boolean neymanIid =
        engine.isDifferenceInMeans() && data.clusterLabels == null && data.latitude == null;
    double[] armVariances = null;
    if (neymanIid) {
      armVariances = StandardErrors.neymanArmVariances(psi, data.a);
      seSampling = Math.sqrt(armVariances[0] + armVariances[1]);
      method = "neyman";
    }
    int clusters = 0;
    if (data.clusterLabels != null) {
      seSampling = StandardErrors.cluster(psi, data.clusterLabels);
      clusters = StandardErrors.clusterSums(psi, data.clusterLabels).length;
      method = "cluster";
    } else if (data.latitude != null) {
      double conley =
          StandardErrors.conley(psi, data.latitude, data.longitude, request.spatial().cutoffKm());
      if (Double.isNaN(conley)) {
        notes.add("Conley variance was not positive; fell back to the iid influence-function SE");
      } else {
        seSampling = conley;
        method = "conley";
      }
    }
    int replications = 0;
    if (options.bootstrap() == Bootstrap.MULTIPLIER) {
      double[] groups =
          data.clusterLabels != null ? StandardErrors.clusterSums(psi, data.clusterLabels) : psi;
      seSampling =
          StandardErrors.multiplier(
              groups, data.n, options.bootstrapReplications(), options.seed() + 17);
      replications = options.bootstrapReplications();
      method = "multiplier-bootstrap";
    } else if (options.bootstrap() == Bootstrap.NONPARAMETRIC) {
      double[] draws = nonparametricBootstrap(request, data, outcome, notes);
      seSampling = StandardErrors.standardDeviation(draws);
      replications = draws.length;
      method = "nonparametric-bootstrap";
    }
    seSampling = Math.sqrt(seSampling * seSampling + seExtraSampling * seExtraSampling);
    double se = Math.sqrt(seSampling * seSampling + seCalibration * seCalibration);
    int degreesOfFreedom = 0;
    if (data.clusterLabels != null) {
      clusters = StandardErrors.clusterSums(psi, data.clusterLabels).length;
      degreesOfFreedom = clusters - 1;
      if (clusters < StandardErrors.FEW_CLUSTERS) {
        warnings.add(
            String.format(
                Locale.ROOT,
                "only %d clusters in '%s' (fewer than %d): cluster-robust SEs are noisy and"
                    + " biased downward with so few clusters; the CI uses t(%d) critical values"
                    + " and the G/(G-1) factor, but treat it as approximate",
                clusters,
                request.cluster(),
                StandardErrors.FEW_CLUSTERS,
                degreesOfFreedom));
        if (seSampling < seInfluence) {
          warnings.add(
              String.format(
                  Locale.ROOT,
                  "with %d clusters the cluster-robust SE (%.4g) is smaller than the SE that"
                      + " ignores clustering (%.4g): so few cluster sums can nearly cancel, and the"
                      + " CI is then too narrow; read the larger SE as the more honest one",
                  clusters,
                  seSampling,
                  seInfluence));
        }
      }
    }
    double z = StandardErrors.criticalValue(options.level(), degreesOfFreedom);
    String reference = degreesOfFreedom == 0 ? "normal" : "t(" + degreesOfFreedom + ")";
    boolean welch =
        neymanIid && options.bootstrap() == Bootstrap.NONE && correction != Correction.PPI;
    double welchDf = Double.NaN;
    if (welch) {
      welchDf =
          StandardErrors.welchDf(
              armVariances,
              data.treatedCount,
              data.n - data.treatedCount,
              seCalibration * seCalibration);
      z = StandardErrors.criticalValue(options.level(), welchDf);
      reference = String.format(Locale.ROOT, "welch-t(%.2f)", welchDf);
    }
    smallSampleWarning(data, method, welch, welchDf, z, warnings);
    double low = estimate - z * se;
    double high = estimate + z * se;

    EffectResult.CorrectionAdvice advice = null;
    if (advisorInputs != null) {
      AdvisorParts parts = advisorInputs;
      advice =
          CorrectionAdvisor.advise(
              new CorrectionAdvisor.Inputs(
                  parts.calibration(),
                  parts.fit(),
                  data.y,
                  parts.raw(),
                  parts.score(),
                  parts.treatment(),
                  v -> samplingSe(v, data, request, neymanIid),
                  z,
                  correction,
                  new EffectResult.CorrectionEstimate(
                      correction.cliName(), estimate, se, low, high, 0),
                  options.calibrationReplications(),
                  options.seed(),
                  request.covariates()),
              warnings);
    }
    EffectResult.Diagnostics diagnostics =
        Diagnostics.build(
            request,
            data,
            engine,
            outcome,
            estimate,
            low,
            high,
            calibrationSummary,
            advice,
            new EffectResult.Uncertainty(
                method,
                seSampling,
                seInfluence,
                seCalibration,
                clusters,
                replications,
                reference,
                z),
            warnings,
            notes);
    return new EffectResult(
        estimate,
        se,
        low,
        high,
        options.level(),
        request.estimand().name().toLowerCase(Locale.ROOT),
        request.estimator().name().toLowerCase(Locale.ROOT),
        correction.cliName(),
        data.n,
        data.treatedCount,
        diagnostics);
  }

  private static double calibrationBootstrap(
      EffectRequest.Calibration calibration,
      Correction correction,
      double rawEstimate,
      double rawScoreEffect,
      double treatmentEffect,
      Options options,
      List<String> notes) {
    int replications = options.calibrationReplications();
    if (replications < 2) {
      return 0;
    }
    double[] predictions = calibration.predictions();
    double[] labels = calibration.labels();
    int m = predictions.length;
    Random random = new Random(options.seed() + 31);
    double[] draws = new double[replications];
    int degenerate = 0;
    double[] p = new double[m];
    double[] l = new double[m];
    for (int b = 0; b < replications; b++) {
      for (int i = 0; i < m; i++) {
        int j = random.nextInt(m);
        p[i] = predictions[j];
        l[i] = labels[j];
      }
      if (correction == Correction.LCC_GROUP) {
        double[] g = new double[m];
        String[] strata = calibration.strata() == null ? null : new String[m];
        Random again = new Random(options.seed() + 37 + b);
        for (int i = 0; i < m; i++) {
          int j = again.nextInt(m);
          p[i] = predictions[j];
          l[i] = labels[j];
          g[i] = calibration.membership()[j];
          if (strata != null) {
            strata[i] = calibration.strata()[j];
          }
        }
        GroupCalibration.Fit gf = GroupCalibration.fit(p, l, g, strata);
        if (!(gf.slope() > 0) || !Double.isFinite(gf.gamma())) {
          draws[b] = Double.NaN;
          degenerate++;
        } else {
          draws[b] = (rawEstimate - gf.gamma() * treatmentEffect) / gf.slope();
        }
        continue;
      }
      CalibrationFit fit = CalibrationFit.fitUnchecked(p, l, false);
      if (correction == Correction.LCC) {
        if (!(fit.slope() > 0) || !Double.isFinite(fit.slope())) {
          draws[b] = Double.NaN;
          degenerate++;
          continue;
        }
        draws[b] = rawEstimate / fit.slope();
      } else {
        draws[b] = rawEstimate - fit.residualVariance() * rawScoreEffect;
      }
    }
    if (degenerate > 0) {
      notes.add(
          degenerate
              + " of "
              + replications
              + " calibration bootstrap draws had a non-positive slope and were left out");
    }
    return StandardErrors.standardDeviation(draws);
  }

  /** What the correction advisor needs from the corrected-outcome branch. */
  private record AdvisorParts(
      EffectRequest.Calibration calibration,
      CalibrationFit fit,
      EffectEngine.Fit raw,
      EffectEngine.Fit score,
      EffectEngine.Fit treatment,
      long seed) {}

  /**
   * The small-sample warning when the smaller arm has fewer than {@link StandardErrors#SMALL_ARM}
   * units (see there for the threshold).
   */
  private static void smallSampleWarning(
      Prepared data, String method, boolean welch, double df, double z, List<String> warnings) {
    int treated = data.treatedCount;
    int control = data.n - treated;
    if (Math.min(treated, control) >= StandardErrors.SMALL_ARM) {
      return;
    }
    String how;
    if (welch) {
      how =
          String.format(
              Locale.ROOT,
              "the SE is Neyman's (s1^2/n1 + s0^2/n0) and the CI uses the Welch-Satterthwaite"
                  + " t(%.2f) critical value %.3f, which is close to exact for roughly normal"
                  + " outcomes but not for skewed or heavy-tailed ones",
              df,
              z);
    } else {
      how =
          String.format(
              Locale.ROOT,
              "the SE (%s) is a large-sample approximation and the critical value %.3f may"
                  + " not allow for so few units, so the CI is likely too narrow",
              method,
              z);
    }
    warnings.add(
        String.format(
            Locale.ROOT,
            "only %d treated and %d control units (%s fewer than %d): the SE and CI"
                + " rest on very few units; %s",
            treated,
            control,
            Math.max(treated, control) < StandardErrors.SMALL_ARM
                ? "both arms have"
                : treated < control ? "the treated arm has" : "the control arm has",
            StandardErrors.SMALL_ARM,
            how));
  }

  /** The sampling SE of an influence function by the request's method (no bootstrap). */
  private static double samplingSe(
      double[] psi, Prepared data, EffectRequest request, boolean neymanIid) {
    if (neymanIid) {
      return StandardErrors.neyman(psi, data.a);
    }
    if (data.clusterLabels != null) {
      return StandardErrors.cluster(psi, data.clusterLabels);
    }
    if (data.latitude != null) {
      double conley =
          StandardErrors.conley(psi, data.latitude, data.longitude, request.spatial().cutoffKm());
      if (!Double.isNaN(conley)) {
        return conley;
      }
    }
    return StandardErrors.influence(psi);
  }

  private record PpiPart(double estimate, double se, int labelled) {}

  private static PpiPart ppiRectifier(EffectRequest request, Prepared data, List<String> notes) {
    double[] labels = data.ppiLabels;
    int[] keep = IntStream.range(0, data.n).filter(i -> !Double.isNaN(labels[i])).toArray();
    double[][] x = new double[keep.length][];
    int[] a = new int[keep.length];
    double[] rectifier = new double[keep.length];
    for (int t = 0; t < keep.length; t++) {
      int i = keep[t];
      x[t] = data.x[i];
      a[t] = data.a[i];
      rectifier[t] = labels[i] - data.y[i];
    }
    int treated = 0;
    for (int v : a) {
      treated += v;
    }
    if (treated < 2 || keep.length - treated < 2) {
      throw new CausalInputException(
          "PPI label column '"
              + request.ppiLabel()
              + "' has "
              + treated
              + " labelled treated and "
              + (keep.length - treated)
              + " labelled control units; need at least 2 of each");
    }
    EffectEngine engine =
        EffectEngine.prepare(
            x, a, request.estimand(), request.estimator(), request.options(), request.covariates());
    EffectEngine.Fit fit = engine.estimate(rectifier);
    notes.add(
        "PPI: estimate on predictions for all "
            + data.n
            + " units plus the rectifier (label - prediction) estimated on the "
            + keep.length
            + " labelled units; the two SEs are added in quadrature");
    return new PpiPart(fit.estimate(), StandardErrors.influence(fit.influence()), keep.length);
  }

  private static double[] nonparametricBootstrap(
      EffectRequest request, Prepared data, double[] outcome, List<String> notes) {
    Options options = request.options();
    int replications = options.bootstrapReplications();
    String[] clusterLabels = data.clusterLabels;
    List<int[]> groups = new ArrayList<>();
    if (clusterLabels != null) {
      java.util.Map<String, List<Integer>> byLabel = new java.util.LinkedHashMap<>();
      for (int i = 0; i < data.n; i++) {
        byLabel.computeIfAbsent(clusterLabels[i], k -> new ArrayList<>()).add(i);
      }
      for (List<Integer> members : byLabel.values()) {
        groups.add(members.stream().mapToInt(Integer::intValue).toArray());
      }
    } else {
      for (int i = 0; i < data.n; i++) {
        groups.add(new int[] {i});
      }
    }
    Options quiet = options;
    double[] draws =
        IntStream.range(0, replications)
            .parallel()
            .mapToDouble(
                b -> {
                  Random random = new Random(options.seed() * 1_000_003L + b);
                  List<Integer> rows = new ArrayList<>();
                  for (int g = 0; g < groups.size(); g++) {
                    for (int i : groups.get(random.nextInt(groups.size()))) {
                      rows.add(i);
                    }
                  }
                  int size = rows.size();
                  double[][] x = new double[size][];
                  int[] a = new int[size];
                  double[] y = new double[size];
                  for (int t = 0; t < size; t++) {
                    int i = rows.get(t);
                    x[t] = data.x[i];
                    a[t] = data.a[i];
                    y[t] = outcome[i];
                  }
                  try {
                    EffectEngine engine =
                        EffectEngine.prepare(
                            x,
                            a,
                            request.estimand(),
                            request.estimator(),
                            quiet.withSeed(options.seed() + b),
                            request.covariates());
                    return engine.estimate(y).estimate();
                  } catch (CausalInputException e) {
                    return Double.NaN;
                  }
                })
            .toArray();
    long failed = java.util.Arrays.stream(draws).filter(Double::isNaN).count();
    if (failed > 0) {
      notes.add(
          failed
              + " of "
              + replications
              + " bootstrap samples had an arm too small or separated and were left out");
    }
    return draws;
  }

  /** The request's columns as arrays, after validation and the missing-value policy. */
  static final class Prepared {
    double[][] x;
    int[] a;
    double[] y;
    double[] ppiLabels;
    String[] clusterLabels;
    double[] latitude;
    double[] longitude;
    int n;
    int treatedCount;
    final List<String> notes = new ArrayList<>();

    static Prepared from(EffectRequest request) {
      UnitTable units = request.units();
      int rows = units.rowCount();
      if (rows == 0) {
        throw new CausalInputException("units table is empty");
      }
      double[] treatment = units.numeric(request.treatment(), "treatment");
      for (int i = 0; i < rows; i++) {
        double t = treatment[i];
        if (Double.isNaN(t)) {
          throw new CausalInputException(
              "treatment column '" + request.treatment() + "' row " + (i + 1) + " is missing");
        }
        if (t != 0.0 && t != 1.0) {
          throw new CausalInputException(
              "treatment column '"
                  + request.treatment()
                  + "' row "
                  + (i + 1)
                  + ": value "
                  + t
                  + " is not binary (expected 0/1 or true/false)");
        }
      }
      double[] outcome = units.numeric(request.outcome(), "outcome");
      List<String> names = request.covariates();
      double[][] columns = new double[names.size()][];
      for (int j = 0; j < names.size(); j++) {
        columns[j] = units.numeric(names.get(j), "covariate");
      }
      double[] ppi =
          request.correction() == Correction.PPI
              ? units.numeric(request.ppiLabel(), "PPI label")
              : null;
      String[] cluster =
          request.cluster() == null ? null : units.text(request.cluster(), "cluster");
      double[] lat = null;
      double[] lon = null;
      if (request.spatial() != null && request.cluster() == null) {
        lat = units.numeric(request.spatial().latitude(), "latitude");
        lon = units.numeric(request.spatial().longitude(), "longitude");
      }

      boolean[] drop = new boolean[rows];
      List<String> missing = new ArrayList<>();
      markMissing(outcome, "outcome", request.outcome(), drop, missing);
      for (int j = 0; j < names.size(); j++) {
        markMissing(columns[j], "covariate", names.get(j), drop, missing);
      }
      if (lat != null) {
        markMissing(lat, "latitude", request.spatial().latitude(), drop, missing);
        markMissing(lon, "longitude", request.spatial().longitude(), drop, missing);
      }
      if (cluster != null) {
        for (int i = 0; i < rows; i++) {
          if (cluster[i] == null || cluster[i].isEmpty()) {
            throw new CausalInputException(
                "cluster column '" + request.cluster() + "' row " + (i + 1) + " is empty");
          }
        }
      }
      Prepared p = new Prepared();
      if (!missing.isEmpty()) {
        if (request.options().missing() == MissingPolicy.ERROR) {
          throw new CausalInputException(
              String.join("; ", missing) + " (use missing policy 'drop' to drop those units)");
        }
        int dropped = 0;
        for (boolean d : drop) {
          dropped += d ? 1 : 0;
        }
        p.notes.add(
            "dropped "
                + dropped
                + " of "
                + rows
                + " units with missing values: "
                + String.join("; ", missing));
      }
      int[] keep = IntStream.range(0, rows).filter(i -> !drop[i]).toArray();
      int n = keep.length;
      p.n = n;
      p.x = new double[n][names.size()];
      p.a = new int[n];
      p.y = new double[n];
      for (int t = 0; t < n; t++) {
        int i = keep[t];
        p.a[t] = (int) treatment[i];
        p.y[t] = outcome[i];
        for (int j = 0; j < names.size(); j++) {
          p.x[t][j] = columns[j][i];
        }
        p.treatedCount += p.a[t];
      }
      if (ppi != null) {
        p.ppiLabels = new double[n];
        for (int t = 0; t < n; t++) {
          p.ppiLabels[t] = ppi[keep[t]];
        }
      }
      if (cluster != null) {
        p.clusterLabels = new String[n];
        for (int t = 0; t < n; t++) {
          p.clusterLabels[t] = cluster[keep[t]];
        }
      }
      if (lat != null) {
        p.latitude = new double[n];
        p.longitude = new double[n];
        for (int t = 0; t < n; t++) {
          p.latitude[t] = lat[keep[t]];
          p.longitude[t] = lon[keep[t]];
        }
      }
      if (p.treatedCount == 0) {
        throw new CausalInputException(
            "no treated units: treatment column '"
                + request.treatment()
                + "' is 0 for all "
                + n
                + " units");
      }
      if (p.treatedCount == n) {
        throw new CausalInputException(
            "no control units: treatment column '"
                + request.treatment()
                + "' is 1 for all "
                + n
                + " units");
      }
      double first = p.y[0];
      boolean constant = true;
      for (double v : p.y) {
        if (v != first) {
          constant = false;
          break;
        }
      }
      if (constant) {
        throw new CausalInputException(
            "outcome column '"
                + request.outcome()
                + "' is constant ("
                + first
                + " for all "
                + n
                + " units): the effect is 0 by construction and its SE is undefined");
      }
      return p;
    }

    private static void markMissing(
        double[] values, String role, String name, boolean[] drop, List<String> messages) {
      int count = 0;
      int first = -1;
      for (int i = 0; i < values.length; i++) {
        if (Double.isInfinite(values[i])) {
          throw new CausalInputException(
              role + " column '" + name + "' row " + (i + 1) + " is infinite (" + values[i] + ")");
        }
        if (Double.isNaN(values[i])) {
          drop[i] = true;
          if (first < 0) {
            first = i;
          }
          count++;
        }
      }
      if (count > 0) {
        messages.add(
            role
                + " column '"
                + name
                + "' has "
                + count
                + " missing (NaN) value"
                + (count == 1 ? "" : "s")
                + ", first at row "
                + (first + 1));
      }
    }
  }
}
