package io.terrafield.causal.experiments;

import io.terrafield.causal.CausalInputException;
import io.terrafield.causal.EffectEstimator;
import io.terrafield.causal.EffectRequest;
import io.terrafield.causal.EffectRequest.Correction;
import io.terrafield.causal.UnitTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * "One map, many trials" on real DHS clusters (Pettersson, Jerzak and Daoud 2025, arXiv
 * 2508.01341): the out-of-country predictions of one satellite model form the map; every trial is a
 * contrast between a group of one country's clusters and the rest, estimated once on the true
 * labels (the reference) and on raw, LCC- and Tweedie-corrected predictions, for three calibration
 * designs.
 *
 * <pre>
 * LCC:     Y~ = (Yhat - m) / k,  (m, k) from OLS of prediction on label on the calibration pairs
 * Tweedie: Y~ = Yhat - sigma^2 d/dyhat log p^(Yhat),  sigma^2 = Var(label - prediction) on the
 *          calibration pairs, p^ a Gaussian KDE of the trial units' predictions
 * </pre>
 *
 * <p>Calibration designs (no label of a trial unit is ever used):
 *
 * <ul>
 *   <li>{@code ooc-pooled}: the (prediction, label) pairs of all OTHER countries, pooled;
 *   <li>{@code ooc-within}: the same pairs centred within each of those countries (country fixed
 *       effects, {@link EffectRequest.Calibration#centredWithin}), so k and sigma^2 are the
 *       within-country slope and residual variance, matching within-country trials;
 *   <li>{@code in-country}: a producer that holds labels in the analysed country: a random share of
 *       its clusters is the calibration split, and the trial runs on the remaining clusters only
 *       (its truth and raw estimates are recomputed on those clusters).
 * </ul>
 *
 * <p>Trial families per country:
 *
 * <ul>
 *   <li>{@code paper}: the paper's simulation design transferred to the real map: a confounder of
 *       wealth C = rho z(label) + sqrt(1 - rho^2) N(0, 1), rho ~ U(0.3, 1), and A ~
 *       Bernoulli(sigmoid(b + s C)), s = +-U(0.5, 2), b ~ U(-0.5, 0.5); the map sees the group only
 *       through the true wealth, which is the corrections' assumption;
 *   <li>{@code targeted}: a programme assigned by the surveyed wealth itself, A ~
 *       Bernoulli(sigmoid(b - s z(label))), s ~ U(0.5, 2), b ~ U(-1, 1);
 *   <li>image-visible groups, where the prediction error is correlated with the group: {@code
 *       urban} vs rural, each survey {@code year} vs the others, {@code region} (north vs south and
 *       east vs west of the median cluster) and spatial {@code programme}s that treat the m nearest
 *       clusters of a random centre, m ~ U(15 %, 40 %) of the country's clusters.
 * </ul>
 *
 * @param predictionsCsv dhs_wealth_predictions_ooc.csv
 * @param model prediction column, e.g. "Resnet-18 MS+NL concat"
 * @param randomTrials paper, targeted and spatial-programme trials per country (each)
 * @param estimator estimator for every trial (DiM: a contrast without covariates)
 * @param inCountryShare share of a country's clusters that form the in-country calibration split
 * @param seed seed of the random trials and of the in-country split
 */
public record DhsTrials(
    Path predictionsCsv,
    String model,
    int randomTrials,
    EffectRequest.Estimator estimator,
    double inCountryShare,
    long seed) {

  /** Trial families in report order. */
  public static final List<String> FAMILIES =
      List.of("paper", "targeted", "urban", "year", "region", "programme");

  /** Families whose groups the imagery (or the location) shows. */
  public static final List<String> IMAGE_VISIBLE = List.of("urban", "year", "region", "programme");

  /** Checks the arguments. */
  public DhsTrials {
    if (randomTrials < 0) {
      throw new CausalInputException("randomTrials must be >= 0, got " + randomTrials);
    }
    if (!(inCountryShare > 0 && inCountryShare < 1)) {
      throw new CausalInputException(
          "inCountryShare must lie strictly between 0 and 1, got " + inCountryShare);
    }
  }

  /** Where the calibration pairs come from. */
  public enum Design {
    /** Other countries' pairs, pooled. */
    OOC_POOLED("ooc-pooled"),
    /** Other countries' pairs, centred within each country. */
    OOC_WITHIN("ooc-within"),
    /** A held-out split of the analysed country's clusters. */
    IN_COUNTRY("in-country");

    private final String label;

    Design(String label) {
      this.label = label;
    }

    /** Short name used in reports. */
    public String label() {
      return label;
    }
  }

  /**
   * One trial's estimates under one calibration design.
   *
   * @param country country
   * @param kind trial family
   * @param design calibration design
   * @param treated treated clusters
   * @param units clusters in the contrast
   * @param truth estimate on the true labels
   * @param raw estimate on raw predictions
   * @param lcc estimate on LCC-corrected predictions
   * @param tweedie estimate on Tweedie-corrected predictions
   */
  public record Trial(
      String country,
      String kind,
      Design design,
      int treated,
      int units,
      double truth,
      double raw,
      double lcc,
      double tweedie) {}

  /**
   * Aggregate errors against the label-based estimates.
   *
   * @param group which trials (a family, "image-visible" or "all")
   * @param design calibration design
   * @param trials number of trials
   * @param maeRaw mean |raw - truth|
   * @param maeLcc mean |LCC - truth|
   * @param maeTweedie mean |Tweedie - truth|
   * @param slopeRaw OLS slope of the raw estimates on the truth (1 = no attenuation)
   * @param slopeLcc slope for LCC
   * @param slopeTweedie slope for Tweedie
   * @param lccBetter share of trials where LCC is closer to the truth than raw
   * @param tweedieBetter share of trials where Tweedie is closer than raw
   */
  public record Summary(
      String group,
      Design design,
      int trials,
      double maeRaw,
      double maeLcc,
      double maeTweedie,
      double slopeRaw,
      double slopeLcc,
      double slopeTweedie,
      double lccBetter,
      double tweedieBetter) {

    /** Header line matching {@link #row()}. */
    public static String header() {
      return String.format(
          Locale.ROOT,
          "%-14s %-11s %5s %8s %8s %8s %9s %9s %9s %8s %8s",
          "trials",
          "calibration",
          "n",
          "MAE raw",
          "MAE LCC",
          "MAE Twd",
          "slope raw",
          "slope LCC",
          "slope Twd",
          "LCC win",
          "Twd win");
    }

    /** One formatted row. */
    public String row() {
      return String.format(
          Locale.ROOT,
          "%-14s %-11s %5d %8.4f %8.4f %8.4f %9.3f %9.3f %9.3f %7.1f%% %7.1f%%",
          group,
          design.label(),
          trials,
          maeRaw,
          maeLcc,
          maeTweedie,
          slopeRaw,
          slopeLcc,
          slopeTweedie,
          100 * lccBetter,
          100 * tweedieBetter);
    }

    /** Markdown table row (for the README). */
    public String markdownRow() {
      return String.format(
          Locale.ROOT,
          "| %s | %s | %d | %.3f | %.3f | %.3f | %.2f | %.2f | %.2f | %.1f %% | %.1f %% |",
          group,
          design.label(),
          trials,
          maeRaw,
          maeLcc,
          maeTweedie,
          slopeRaw,
          slopeLcc,
          slopeTweedie,
          100 * lccBetter,
          100 * tweedieBetter);
    }
  }

  /** The Resnet-18 MS+NL concat map, 20 random trials per family and country, DiM, 50 % split. */
  public static DhsTrials defaults(Path predictionsCsv) {
    return new DhsTrials(
        predictionsCsv, "Resnet-18 MS+NL concat", 20, EffectRequest.Estimator.DIM, 0.5, 11L);
  }

  /**
   * Runs every trial of every country under every design; {@code progress} is told each finished
   * country.
   */
  public List<Trial> run(IntConsumer progress) throws IOException {
    UnitTable all = UnitTable.readCsv(predictionsCsv);
    String[] country = all.text("country", "country");
    String[] year = all.text("year", "year");
    String[] urban = all.text("urban", "urban");
    double[] lat = all.numeric("lat", "latitude");
    double[] lon = all.numeric("lon", "longitude");
    double[] label = all.numeric("label", "label");
    double[] prediction = all.numeric(model, "prediction");
    List<Trial> trials = new ArrayList<>();
    EffectEstimator effects = new EffectEstimator();
    Random random = new Random(seed);
    int done = 0;
    for (String c : new TreeSet<>(Arrays.asList(country))) {
      int[] in = indices(country, c, true);
      int[] out = indices(country, c, false);
      Map<Design, EffectRequest.Calibration> calibrations = new EnumMap<>(Design.class);
      calibrations.put(
          Design.OOC_POOLED,
          new EffectRequest.Calibration(
              pick(prediction, out), pick(label, out), "DHS clusters outside " + c));
      calibrations.put(
          Design.OOC_WITHIN,
          EffectRequest.Calibration.centredWithin(
              pick(prediction, out),
              pick(label, out),
              pick(country, out),
              "DHS clusters outside " + c));
      boolean[] calibrationSplit = split(in.length, new Random(seed * 31 + c.hashCode()));
      int[] splitIdx = where(calibrationSplit, true);
      int[] trialIdx = where(calibrationSplit, false);
      double[] y = pick(label, in);
      double[] yhat = pick(prediction, in);
      calibrations.put(
          Design.IN_COUNTRY,
          new EffectRequest.Calibration(
              pick(yhat, splitIdx),
              pick(y, splitIdx),
              String.format(
                  Locale.ROOT, "%.0f %% of the clusters of %s", 100 * inCountryShare, c)));
      List<Map.Entry<String, double[]>> groups = groups(in, y, year, urban, lat, lon, random);
      for (Map.Entry<String, double[]> g : groups) {
        String kind = g.getKey();
        double[] a = g.getValue();
        addTrials(trials, effects, c, kind, a, y, yhat, calibrations, Design.OOC_POOLED, null);
        addTrials(trials, effects, c, kind, a, y, yhat, calibrations, Design.OOC_WITHIN, null);
        addTrials(trials, effects, c, kind, a, y, yhat, calibrations, Design.IN_COUNTRY, trialIdx);
      }
      progress.accept(done++);
    }
    return trials;
  }

  private List<Map.Entry<String, double[]>> groups(
      int[] in,
      double[] y,
      String[] year,
      String[] urban,
      double[] lat,
      double[] lon,
      Random random) {
    List<Map.Entry<String, double[]>> groups = new ArrayList<>();
    groups.add(Map.entry("urban", indicator(in, i -> urban[i].equalsIgnoreCase("true"))));
    TreeSet<String> years = new TreeSet<>();
    for (int i : in) {
      years.add(year[i]);
    }
    if (years.size() > 1) {
      for (String yr : years) {
        groups.add(Map.entry("year", indicator(in, i -> year[i].equals(yr))));
      }
    }
    double medianLat = median(pick(lat, in));
    double medianLon = median(pick(lon, in));
    groups.add(Map.entry("region", indicator(in, i -> lat[i] > medianLat)));
    groups.add(Map.entry("region", indicator(in, i -> lon[i] > medianLon)));
    for (int r = 0; r < randomTrials; r++) {
      groups.add(Map.entry("programme", programme(in, lat, lon, random)));
      groups.add(Map.entry("targeted", targeted(y, random)));
      groups.add(Map.entry("paper", confounded(y, random)));
    }
    return groups;
  }

  private void addTrials(
      List<Trial> trials,
      EffectEstimator effects,
      String country,
      String kind,
      double[] assignment,
      double[] label,
      double[] prediction,
      Map<Design, EffectRequest.Calibration> calibrations,
      Design design,
      int[] subset) {
    double[] a = subset == null ? assignment : pick(assignment, subset);
    double[] y = subset == null ? label : pick(label, subset);
    double[] yhat = subset == null ? prediction : pick(prediction, subset);
    int treated = (int) Arrays.stream(a).sum();
    if (treated < 2 || treated > a.length - 2) {
      return;
    }
    Map<String, double[]> columns = new LinkedHashMap<>();
    columns.put("a", a);
    columns.put("label", y);
    columns.put("prediction", yhat);
    UnitTable table = UnitTable.ofNumeric(columns);
    EffectRequest.Calibration calibration = calibrations.get(design);
    try {
      double truth = estimate(effects, table, "label", Correction.NONE, null);
      double raw = estimate(effects, table, "prediction", Correction.NONE, null);
      double lcc = estimate(effects, table, "prediction", Correction.LCC, calibration);
      double tweedie = estimate(effects, table, "prediction", Correction.TWEEDIE, calibration);
      trials.add(new Trial(country, kind, design, treated, a.length, truth, raw, lcc, tweedie));
    } catch (CausalInputException e) {
      // a degenerate contrast (e.g. constant outcome in an arm) is not a trial
      return;
    }
  }

  /** Summaries per design: every family, the image-visible families together, and all trials. */
  public static List<Summary> summarize(List<Trial> trials) {
    List<Summary> out = new ArrayList<>();
    for (Design design : Design.values()) {
      List<Trial> ofDesign = trials.stream().filter(t -> t.design() == design).toList();
      for (String family : FAMILIES) {
        List<Trial> subset = ofDesign.stream().filter(t -> t.kind().equals(family)).toList();
        if (!subset.isEmpty()) {
          out.add(summary(family, design, subset));
        }
      }
      List<Trial> visible =
          ofDesign.stream().filter(t -> IMAGE_VISIBLE.contains(t.kind())).toList();
      if (!visible.isEmpty()) {
        out.add(summary("image-visible", design, visible));
      }
      if (!ofDesign.isEmpty()) {
        out.add(summary("all", design, ofDesign));
      }
    }
    return out;
  }

  /**
   * Contrast-level calibration, leave one country out (an alternative to the unit-level
   * corrections, measured for comparison): the producer computes contrasts of the same family in
   * its labelled countries and fits the slope of predicted on true contrast through the origin, k_f
   * = sum(truth raw) / sum(truth^2) over the {@code ooc-pooled} trials of family f in all OTHER
   * countries; the analysed country's contrast is corrected as raw / k_f. No label of the analysed
   * country enters.
   *
   * @param group which trials (a family, "image-visible" or "all")
   * @param trials number of trials
   * @param maeRaw mean |raw - truth|
   * @param maeCorrected mean |raw / k_f - truth|
   * @param meanSlope mean of the k_f used
   * @param better share of trials where the corrected contrast is closer than raw
   */
  public record ContrastSummary(
      String group,
      int trials,
      double maeRaw,
      double maeCorrected,
      double meanSlope,
      double better) {

    /** Header line matching {@link #row()}. */
    public static String header() {
      return String.format(
          Locale.ROOT,
          "%-14s %5s %8s %9s %8s %8s",
          "trials",
          "n",
          "MAE raw",
          "MAE c-cal",
          "mean k_f",
          "c-cal win");
    }

    /** One formatted row. */
    public String row() {
      return String.format(
          Locale.ROOT,
          "%-14s %5d %8.4f %9.4f %8.3f %7.1f%%",
          group,
          trials,
          maeRaw,
          maeCorrected,
          meanSlope,
          100 * better);
    }
  }

  /** Contrast-level calibration per family, image-visible families together, and all trials. */
  public static List<ContrastSummary> contrastCalibration(List<Trial> trials) {
    List<Trial> pooled = trials.stream().filter(t -> t.design() == Design.OOC_POOLED).toList();
    double[] corrected = new double[pooled.size()];
    double[] slopes = new double[pooled.size()];
    for (int i = 0; i < pooled.size(); i++) {
      Trial t = pooled.get(i);
      double sxy = 0;
      double sxx = 0;
      for (Trial o : pooled) {
        if (!o.country().equals(t.country()) && o.kind().equals(t.kind())) {
          sxy += o.truth() * o.raw();
          sxx += o.truth() * o.truth();
        }
      }
      slopes[i] = sxx > 0 ? sxy / sxx : 1;
      corrected[i] = t.raw() / slopes[i];
    }
    List<ContrastSummary> out = new ArrayList<>();
    for (String family : FAMILIES) {
      contrastSummary(family, pooled, corrected, slopes, t -> t.kind().equals(family))
          .ifPresent(out::add);
    }
    contrastSummary(
            "image-visible", pooled, corrected, slopes, t -> IMAGE_VISIBLE.contains(t.kind()))
        .ifPresent(out::add);
    contrastSummary("all", pooled, corrected, slopes, t -> true).ifPresent(out::add);
    return out;
  }

  private static Optional<ContrastSummary> contrastSummary(
      String group,
      List<Trial> pooled,
      double[] corrected,
      double[] slopes,
      Predicate<Trial> member) {
    int n = 0;
    double raw = 0;
    double cal = 0;
    double slope = 0;
    int better = 0;
    for (int i = 0; i < pooled.size(); i++) {
      Trial t = pooled.get(i);
      if (!member.test(t)) {
        continue;
      }
      n++;
      double rawError = Math.abs(t.raw() - t.truth());
      double calError = Math.abs(corrected[i] - t.truth());
      raw += rawError;
      cal += calError;
      slope += slopes[i];
      better += calError < rawError ? 1 : 0;
    }
    if (n == 0) {
      return Optional.empty();
    }
    return Optional.of(
        new ContrastSummary(group, n, raw / n, cal / n, slope / n, (double) better / n));
  }

  /** The summary of one group under one design. */
  public static Summary find(List<Summary> summaries, String group, Design design) {
    return summaries.stream()
        .filter(s -> s.group().equals(group) && s.design() == design)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no summary " + group + "/" + design));
  }

  private static Summary summary(String group, Design design, List<Trial> trials) {
    int n = trials.size();
    double[] truth = trials.stream().mapToDouble(Trial::truth).toArray();
    double[] raw = trials.stream().mapToDouble(Trial::raw).toArray();
    double[] lcc = trials.stream().mapToDouble(Trial::lcc).toArray();
    double[] tweedie = trials.stream().mapToDouble(Trial::tweedie).toArray();
    int lccWins = 0;
    int tweedieWins = 0;
    for (int i = 0; i < n; i++) {
      double rawError = Math.abs(raw[i] - truth[i]);
      lccWins += Math.abs(lcc[i] - truth[i]) < rawError ? 1 : 0;
      tweedieWins += Math.abs(tweedie[i] - truth[i]) < rawError ? 1 : 0;
    }
    return new Summary(
        group,
        design,
        n,
        mae(raw, truth),
        mae(lcc, truth),
        mae(tweedie, truth),
        slope(raw, truth),
        slope(lcc, truth),
        slope(tweedie, truth),
        (double) lccWins / n,
        (double) tweedieWins / n);
  }

  private double estimate(
      EffectEstimator effects,
      UnitTable table,
      String outcome,
      Correction correction,
      EffectRequest.Calibration calibration) {
    EffectRequest.Options d = EffectRequest.Options.defaults();
    EffectRequest.Options options =
        new EffectRequest.Options(
            d.level(),
            d.folds(),
            d.learner(),
            d.dmlModel(),
            d.trim(),
            d.bootstrap(),
            d.bootstrapReplications(),
            0,
            d.missing(),
            seed);
    EffectRequest.Builder builder =
        EffectRequest.builder(table, "a", outcome)
            .estimator(estimator)
            .correction(correction)
            .options(options);
    if (calibration != null) {
      builder.calibration(calibration);
    }
    return effects.estimate(builder.build()).estimate();
  }

  private static double[] programme(int[] in, double[] lat, double[] lon, Random random) {
    int n = in.length;
    int centre = in[random.nextInt(n)];
    int m = (int) Math.round(n * (0.15 + 0.25 * random.nextDouble()));
    Integer[] order = new Integer[n];
    double[] distance = new double[n];
    for (int t = 0; t < n; t++) {
      order[t] = t;
      double dLat = lat[in[t]] - lat[centre];
      double dLon = (lon[in[t]] - lon[centre]) * Math.cos(Math.toRadians(lat[centre]));
      distance[t] = dLat * dLat + dLon * dLon;
    }
    Arrays.sort(order, (p, q) -> Double.compare(distance[p], distance[q]));
    double[] a = new double[n];
    for (int t = 0; t < m; t++) {
      a[order[t]] = 1;
    }
    return a;
  }

  private static double[] targeted(double[] label, Random random) {
    double[] z = standardized(label);
    double strength = 0.5 + 1.5 * random.nextDouble();
    double offset = 2 * random.nextDouble() - 1;
    double[] a = new double[label.length];
    for (int t = 0; t < label.length; t++) {
      double score = offset - strength * z[t];
      a[t] = random.nextDouble() < 1 / (1 + Math.exp(-score)) ? 1 : 0;
    }
    return a;
  }

  private static double[] confounded(double[] label, Random random) {
    double[] z = standardized(label);
    double rho = 0.3 + 0.7 * random.nextDouble();
    double strength = (random.nextBoolean() ? 1 : -1) * (0.5 + 1.5 * random.nextDouble());
    double offset = random.nextDouble() - 0.5;
    double[] a = new double[label.length];
    for (int t = 0; t < label.length; t++) {
      double confounder = rho * z[t] + Math.sqrt(1 - rho * rho) * random.nextGaussian();
      double p = 1 / (1 + Math.exp(-(offset + strength * confounder)));
      a[t] = random.nextDouble() < p ? 1 : 0;
    }
    return a;
  }

  /** Shared with DhsCheckSet. */
  static double[] standardized(double[] values) {
    double mean = Arrays.stream(values).average().orElse(0);
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(ss / Math.max(1, values.length - 1));
    double[] z = new double[values.length];
    for (int t = 0; t < values.length; t++) {
      z[t] = (values[t] - mean) / sd;
    }
    return z;
  }

  private boolean[] split(int n, Random random) {
    Integer[] order = new Integer[n];
    for (int t = 0; t < n; t++) {
      order[t] = t;
    }
    Collections.shuffle(Arrays.asList(order), random);
    boolean[] calibration = new boolean[n];
    int m = (int) Math.round(n * inCountryShare);
    for (int t = 0; t < m; t++) {
      calibration[order[t]] = true;
    }
    return calibration;
  }

  private static int[] where(boolean[] flags, boolean value) {
    return IntStream.range(0, flags.length).filter(t -> flags[t] == value).toArray();
  }

  private static String[] pick(String[] values, int[] idx) {
    String[] out = new String[idx.length];
    for (int t = 0; t < idx.length; t++) {
      out[t] = values[idx[t]];
    }
    return out;
  }

  /** Shared with DhsCheckSet. */
  static double[] indicator(int[] in, IntPredicate treated) {
    double[] a = new double[in.length];
    for (int t = 0; t < in.length; t++) {
      a[t] = treated.test(in[t]) ? 1 : 0;
    }
    return a;
  }

  private static int[] indices(String[] country, String c, boolean equal) {
    return IntStream.range(0, country.length).filter(i -> country[i].equals(c) == equal).toArray();
  }

  /** The values at the given indices (shared with DhsCheckSet). */
  static double[] pick(double[] values, int[] idx) {
    double[] out = new double[idx.length];
    for (int t = 0; t < idx.length; t++) {
      out[t] = values[idx[t]];
    }
    return out;
  }

  /** Shared with DhsCheckSet. */
  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double mae(double[] estimate, double[] truth) {
    double s = 0;
    for (int i = 0; i < truth.length; i++) {
      s += Math.abs(estimate[i] - truth[i]);
    }
    return s / truth.length;
  }

  private static double slope(double[] estimate, double[] truth) {
    double mt = Arrays.stream(truth).average().orElse(0);
    double me = Arrays.stream(estimate).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < truth.length; i++) {
      sxy += (truth[i] - mt) * (estimate[i] - me);
      sxx += (truth[i] - mt) * (truth[i] - mt);
    }
    return sxy / sxx;
  }
}
