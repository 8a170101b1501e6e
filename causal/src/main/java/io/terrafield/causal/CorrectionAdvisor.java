package io.terrafield.causal;

import io.terrafield.causal.EffectRequest.Correction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Puts every outcome correction side by side and recommends the one the calibration data support.
 *
 * <pre>
 * none:      theta_raw
 * lcc:       theta_raw / k                          (Pettersson, Jerzak and Daoud 2025, LCC)
 * tweedie:   theta_raw - sigma^2 theta(S)           (ibid., Tweedie's formula; Efron 2011, eq. 2.8)
 * lcc-group: (theta_raw - gamma theta(A)) / k       ({@link GroupCalibration})
 * </pre>
 *
 * Each is affine in theta_raw = theta(Yhat), theta(S) (S the KDE score of the map) and theta(A)
 * (the estimator applied to the treatment itself, 1 for a contrast), so the influence functions
 * combine the same way and the calibration bootstrap needs no refits.
 *
 * <p>The recommendation, in order:
 *
 * <ol>
 *   <li>without the treatment rule on the calibration units, LCC's assumption (the map sees the
 *       group only through the label) cannot be tested: recommend no correction;
 *   <li>with calibration strata, fewer than 2 of which hold both groups: transfer cannot be
 *       checked: recommend none;
 *   <li>with calibration strata in which the group effect gamma_s disagrees (I^2 &gt; {@value
 *       #I2_TRANSFER} and Cochran's Q p &lt; {@value #Q_P_VALUE}): what the map sees of the group
 *       depends on the place, no correction learned there transfers: recommend none;
 *   <li>|gamma| / SE &gt; {@value #GROUP_T} and the estimator adjusts for covariates that the
 *       calibration fit does not include: the unconditional gamma and k do not describe the
 *       adjusted contrast: recommend none;
 *   <li>|gamma| / SE &gt; {@value #GROUP_T}: the map sees the group beyond the label, LCC would
 *       over-correct: recommend lcc-group;
 *   <li>otherwise the residual does not depend on the group: recommend LCC;
 *   <li>finally, with strata and the treatment rule, the chosen correction is replayed on the
 *       calibration pairs ({@link GroupCalibration#heldOut}: each stratum holding both groups is
 *       corrected with k and gamma from the other strata and compared with its labels' contrast);
 *       when it is not closer to the labels than the raw map on average, recommend none.
 * </ol>
 *
 * Tweedie's correction is shown but never recommended: its sigma^2 = Var(label - prediction)
 * describes a map equal to the label plus independent noise, while the maps here are shrunk (k &lt;
 * 1) and Tweedie's move then depends on the shape of the map's density rather than on the
 * attenuation; on DHS it was worse than raw for three of four image-visible families. Stateless.
 */
final class CorrectionAdvisor {
  static final double GROUP_T = 2.0;
  static final double I2_TRANSFER = 0.5;
  static final double Q_P_VALUE = 0.05;
  private static final int HALF_SPLITS = 20;

  private CorrectionAdvisor() {}

  /** What the estimator hands over: the raw, score and treatment effects with their psi. */
  record Inputs(
      EffectRequest.Calibration calibration,
      CalibrationFit fit,
      double[] targetPredictions,
      EffectEngine.Fit raw,
      EffectEngine.Fit score,
      EffectEngine.Fit treatment,
      ToDoubleFunction<double[]> samplingSe,
      double criticalValue,
      Correction requested,
      EffectResult.CorrectionEstimate requestedEstimate,
      int replications,
      long seed,
      List<String> covariates) {}

  static EffectResult.CorrectionAdvice advise(Inputs in, List<String> warnings) {
    EffectRequest.Calibration cal = in.calibration();
    double[] p = cal.predictions();
    double[] l = cal.labels();
    double[] g = cal.membership();
    String[] strata = cal.strata();
    CalibrationFit fit = in.fit();
    List<String> findings = new ArrayList<>();

    int outside = 0;
    for (double v : in.targetPredictions()) {
      if (v < fit.minPrediction() || v > fit.maxPrediction()) {
        outside++;
      }
    }
    double outsideShare = (double) outside / in.targetPredictions().length;
    findings.add(
        String.format(
            Locale.ROOT,
            "%.1f %% of the units' predictions lie outside the calibration range [%.3g, %.3g]",
            100 * outsideShare,
            fit.minPrediction(),
            fit.maxPrediction()));
    double[] halves = GroupCalibration.halfSplitSlopes(p, l, HALF_SPLITS, in.seed() + 5);
    findings.add(
        String.format(
            Locale.ROOT,
            "k = %.3f (SE %.3f); on %d random halves of the pairs k lies in [%.3f, %.3f]",
            fit.slope(),
            fit.slopeSe(),
            HALF_SPLITS,
            halves[0],
            halves[1]));
    GroupCalibration.Spread slopes =
        strata == null
            ? GroupCalibration.Spread.none()
            : GroupCalibration.slopeSpread(p, l, strata);
    if (slopes.count() >= 2) {
      findings.add(
          String.format(
              Locale.ROOT,
              "within %d strata k ranges over [%.3f, %.3f] (I^2 %.2f)",
              slopes.count(),
              slopes.min(),
              slopes.max(),
              slopes.i2()));
    }

    GroupCalibration.Fit group = null;
    GroupCalibration.Spread gammas = GroupCalibration.Spread.none();
    String recommended;
    String reason;
    if (g == null) {
      recommended = "none";
      reason =
          "the calibration pairs do not carry the treatment rule, so LCC's assumption (the map"
              + " sees the treated group only through the true outcome) cannot be tested; a group"
              + " the imagery itself shows makes LCC and Tweedie over-correct. Give the rule on"
              + " the calibration units (--calibration-group) to test it";
      findings.add("group effect: not testable (no treatment rule on the calibration units)");
    } else {
      group = GroupCalibration.fit(p, l, g, strata);
      double t = group.gamma() / group.gammaSe();
      findings.add(
          String.format(
              Locale.ROOT,
              "prediction = m + k label + gamma g: gamma = %.4f (SE %.4f, t = %.1f), k = %.3f",
              group.gamma(),
              group.gammaSe(),
              t,
              group.slope()));
      if (strata != null) {
        gammas = GroupCalibration.gammaSpread(p, l, g, strata);
        if (gammas.count() >= 2) {
          findings.add(
              String.format(
                  Locale.ROOT,
                  "within %d strata gamma ranges over [%.4f, %.4f] (I^2 %.2f, Cochran's Q p ="
                      + " %.3g)",
                  gammas.count(),
                  gammas.min(),
                  gammas.max(),
                  gammas.i2(),
                  gammas.qPValue()));
        }
      }
      if (!Double.isFinite(t)) {
        recommended = "none";
        reason =
            "the treatment rule does not vary within the calibration strata, so whether the map"
                + " sees the group beyond the outcome cannot be tested";
      } else if (strata != null && gammas.count() < 2) {
        recommended = "none";
        reason =
            String.format(
                Locale.ROOT,
                "only %d calibration stratum has at least %d pairs in each group, so whether"
                    + " the group effect (gamma = %.3f) transfers between places cannot be"
                    + " checked",
                gammas.count(),
                GroupCalibration.MIN_GROUP,
                group.gamma());
      } else if (gammas.count() >= 2 && gammas.i2() > I2_TRANSFER && gammas.qPValue() < Q_P_VALUE) {
        recommended = "none";
        reason =
            String.format(
                Locale.ROOT,
                "what the map sees of the group beyond the outcome differs between calibration"
                    + " strata (gamma from %.3f to %.3f, I^2 %.2f): a correction learned on these"
                    + " pairs does not transfer to the analysed units, so the raw estimate is the"
                    + " safer one",
                gammas.min(),
                gammas.max(),
                gammas.i2());
      } else if (Math.abs(t) > GROUP_T && !in.covariates().isEmpty()) {
        recommended = "none";
        reason =
            String.format(
                Locale.ROOT,
                "the map sees the group beyond the outcome (gamma = %.3f, t = %.1f), so plain LCC"
                    + " would over-correct; but the estimator adjusts for %s, which the"
                    + " calibration fit does not include, and the map may see the group through"
                    + " them: gamma and k fitted without them do not describe the adjusted"
                    + " contrast, so neither LCC nor lcc-group is supported",
                group.gamma(),
                t,
                String.join(", ", in.covariates()));
      } else if (Math.abs(t) > GROUP_T) {
        recommended = "lcc-group";
        reason =
            String.format(
                Locale.ROOT,
                "the map sees the group beyond the outcome (gamma = %.3f, t = %.1f, consistent"
                    + " across strata), so plain LCC would over-correct; lcc-group removes gamma"
                    + " before undoing the attenuation k = %.3f",
                group.gamma(),
                t,
                group.slope());
      } else {
        recommended = "lcc";
        reason =
            String.format(
                Locale.ROOT,
                "the calibration residual does not depend on group membership (gamma = %.3f, t ="
                    + " %.1f): the map sees the group only through the outcome, which is LCC's"
                    + " assumption; LCC undoes the attenuation k = %.3f",
                group.gamma(),
                t,
                fit.slope());
      }
    }
    GroupCalibration.HeldOut heldOut =
        g == null || strata == null
            ? GroupCalibration.HeldOut.none()
            : GroupCalibration.heldOut(p, l, g, strata);
    if (heldOut.count() >= 2) {
      findings.add(
          String.format(
              Locale.ROOT,
              "replayed on %d held-out calibration strata (each corrected with k and gamma from"
                  + " the others), the contrast's mean absolute error is %.4f raw, %.4f LCC, %.4f"
                  + " lcc-group",
              heldOut.count(),
              heldOut.maeRaw(),
              heldOut.maeLcc(),
              heldOut.maeLccGroup()));
      boolean groupAdjusted = recommended.equals("lcc-group");
      double replayed = groupAdjusted ? heldOut.maeLccGroup() : heldOut.maeLcc();
      if (!recommended.equals("none") && !(replayed < heldOut.maeRaw())) {
        reason =
            String.format(
                Locale.ROOT,
                "the checks point to %s, but replayed on the calibration strata it did not"
                    + " transfer: corrected with k and gamma from the other strata, the held-out"
                    + " strata's contrasts were on average %.4f from their labels' contrasts,"
                    + " against %.4f for the raw map (%d strata), so the raw estimate is the safer"
                    + " one",
                recommended,
                replayed,
                heldOut.maeRaw(),
                heldOut.count());
        recommended = "none";
      }
    }
    if (outsideShare > 0.1) {
      findings.add(
          "more than 10 % of the predictions lie outside the calibration range: every correction"
              + " extrapolates there");
    }

    List<EffectResult.CorrectionEstimate> estimates =
        sideBySide(in, fit, group, outsideShare, warnings);
    EffectResult.CorrectionEstimate chosen = find(estimates, in.requested().cliName());
    EffectResult.CorrectionEstimate best = find(estimates, recommended);
    if (chosen != null
        && best != null
        && !recommended.equals(in.requested().cliName())
        && Math.abs(chosen.estimate() - best.estimate()) > chosen.se()) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "the requested correction '%s' gives %.4f, %.4f away from the recommended '%s' (%.4f)"
                  + " and more than its own SE %.4f, in a direction the calibration checks do not"
                  + " support: %s",
              in.requested().cliName(),
              chosen.estimate(),
              chosen.estimate() - best.estimate(),
              recommended,
              best.estimate(),
              chosen.se(),
              reason));
    }
    return new EffectResult.CorrectionAdvice(
        recommended,
        reason,
        in.requested().cliName(),
        List.copyOf(estimates),
        new EffectResult.CorrectionChecks(
            outsideShare,
            halves[0],
            halves[1],
            slopes.count(),
            slopes.min(),
            slopes.max(),
            slopes.i2(),
            group == null ? Double.NaN : group.gamma(),
            group == null ? Double.NaN : group.gammaSe(),
            gammas.count(),
            gammas.min(),
            gammas.max(),
            gammas.i2(),
            gammas.qPValue(),
            heldOut.count(),
            heldOut.maeRaw(),
            heldOut.maeLcc(),
            heldOut.maeLccGroup(),
            List.copyOf(findings)));
  }

  private static EffectResult.CorrectionEstimate find(
      List<EffectResult.CorrectionEstimate> list, String name) {
    return list.stream().filter(e -> e.correction().equals(name)).findFirst().orElse(null);
  }

  private static List<EffectResult.CorrectionEstimate> sideBySide(
      Inputs in,
      CalibrationFit fit,
      GroupCalibration.Fit group,
      double outsideShare,
      List<String> warnings) {
    double thetaRaw = in.raw().estimate();
    double thetaScore = in.score().estimate();
    double thetaA = in.treatment().estimate();
    double[] psiRaw = in.raw().influence();
    double[] psiScore = in.score().influence();
    double[] psiA = in.treatment().influence();
    int n = psiRaw.length;
    double k = fit.slope();
    double s2 = fit.residualVariance();
    double[] psiLcc = new double[n];
    double[] psiTweedie = new double[n];
    double[] psiGroup = group == null ? null : new double[n];
    for (int i = 0; i < n; i++) {
      psiLcc[i] = psiRaw[i] / k;
      psiTweedie[i] = psiRaw[i] - s2 * psiScore[i];
      if (group != null) {
        psiGroup[i] = (psiRaw[i] - group.gamma() * psiA[i]) / group.slope();
      }
    }
    double[][] draws = calibrationDraws(in, thetaRaw, thetaScore, thetaA, group != null);
    List<EffectResult.CorrectionEstimate> out = new ArrayList<>();
    out.add(entry(in, "none", thetaRaw, psiRaw, 0, thetaRaw));
    out.add(entry(in, "lcc", thetaRaw / k, psiLcc, spread(draws[0]), thetaRaw));
    out.add(
        entry(in, "tweedie", thetaRaw - s2 * thetaScore, psiTweedie, spread(draws[1]), thetaRaw));
    if (group != null) {
      out.add(
          entry(
              in,
              "lcc-group",
              (thetaRaw - group.gamma() * thetaA) / group.slope(),
              psiGroup,
              spread(draws[2]),
              thetaRaw));
    }
    return out;
  }

  private static EffectResult.CorrectionEstimate entry(
      Inputs in, String name, double estimate, double[] psi, double seCalibration, double raw) {
    if (name.equals(in.requested().cliName()) && in.requestedEstimate() != null) {
      EffectResult.CorrectionEstimate own = in.requestedEstimate();
      return new EffectResult.CorrectionEstimate(
          name, own.estimate(), own.se(), own.ciLow(), own.ciHigh(), own.estimate() - raw);
    }
    double sampling = in.samplingSe().applyAsDouble(psi);
    double se = Math.sqrt(sampling * sampling + seCalibration * seCalibration);
    double z = in.criticalValue();
    return new EffectResult.CorrectionEstimate(
        name, estimate, se, estimate - z * se, estimate + z * se, estimate - raw);
  }

  private static double spread(double[] draws) {
    return draws.length < 2 ? 0 : StandardErrors.standardDeviation(draws);
  }

  /** Bootstrap of the calibration pairs: draws of the LCC, Tweedie and lcc-group effects. */
  private static double[][] calibrationDraws(
      Inputs in, double thetaRaw, double thetaScore, double thetaA, boolean withGroup) {
    int replications = in.replications();
    if (replications < 2) {
      return new double[3][0];
    }
    EffectRequest.Calibration cal = in.calibration();
    double[] p = cal.predictions();
    double[] l = cal.labels();
    double[] g = cal.membership();
    String[] strata = cal.strata();
    int m = p.length;
    Random random = new Random(in.seed() + 31);
    double[][] draws = new double[3][replications];
    double[] pb = new double[m];
    double[] lb = new double[m];
    double[] gb = new double[m];
    String[] sb = strata == null ? null : new String[m];
    for (int b = 0; b < replications; b++) {
      for (int i = 0; i < m; i++) {
        int j = random.nextInt(m);
        pb[i] = p[j];
        lb[i] = l[j];
        if (g != null) {
          gb[i] = g[j];
        }
        if (sb != null) {
          sb[i] = strata[j];
        }
      }
      CalibrationFit f = CalibrationFit.fitUnchecked(pb, lb, false);
      draws[0][b] = f.slope() > 0 ? thetaRaw / f.slope() : Double.NaN;
      draws[1][b] = thetaRaw - f.residualVariance() * thetaScore;
      if (withGroup) {
        GroupCalibration.Fit gf = GroupCalibration.fit(pb, lb, gb, sb);
        draws[2][b] =
            gf.slope() > 0 && Double.isFinite(gf.gamma())
                ? (thetaRaw - gf.gamma() * thetaA) / gf.slope()
                : Double.NaN;
      }
    }
    return draws;
  }
}
