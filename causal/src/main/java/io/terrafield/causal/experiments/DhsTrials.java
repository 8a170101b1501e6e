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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.IntConsumer;

/**
 * "One map, many trials" on real DHS clusters (Pettersson, Jerzak and Daoud 2025, section 6): the
 * out-of-country predictions of one satellite model form the map; for each country the calibration
 * pairs are the (prediction, label) pairs of all OTHER countries (so no label of the analysed
 * country is used); every trial is a contrast between a group of the country's clusters and the
 * rest, estimated once on the true labels (the reference) and on raw, LCC- and Tweedie-corrected
 * predictions.
 *
 * <p>Trials per country: urban vs rural; each survey year vs the others (countries with several
 * years); north vs south and east vs west of the median cluster; and {@code randomTrials} spatial
 * "programmes" that treat the m nearest clusters of a random centre cluster, m drawn uniformly
 * between 15 % and 40 % of the country's clusters. These groups are visible in the imagery, so the
 * prediction error is correlated with the group, which breaks the corrections' assumption that the
 * map depends on the group only through the true label. {@code randomTrials} "targeted" trials
 * therefore also assign a programme by the surveyed wealth itself, A ~ Bernoulli(sigmoid(b - s
 * z(label))) with s ~ U(0.5, 2) and b ~ U(-1, 1) (poorer clusters more likely treated, as in a
 * survey-targeted transfer), where that assumption holds by construction.
 *
 * @param predictionsCsv dhs_wealth_predictions_ooc.csv
 * @param model prediction column, e.g. "Resnet-18 MS+NL concat"
 * @param randomTrials random spatial programmes per country
 * @param estimator estimator for every trial (DiM: a contrast without covariates)
 * @param seed seed of the random programmes
 */
public record DhsTrials(
    Path predictionsCsv,
    String model,
    int randomTrials,
    EffectRequest.Estimator estimator,
    long seed) {

  /**
   * One trial's estimates.
   *
   * @param country country
   * @param kind trial kind
   * @param treated treated clusters
   * @param units clusters
   * @param truth estimate on the true labels
   * @param raw estimate on raw predictions
   * @param lcc estimate on LCC-corrected predictions
   * @param tweedie estimate on Tweedie-corrected predictions
   */
  public record Trial(
      String country,
      String kind,
      int treated,
      int units,
      double truth,
      double raw,
      double lcc,
      double tweedie) {}

  /**
   * Aggregate errors against the label-based estimates.
   *
   * @param group which trials
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
          "%-16s %6s %9s %9s %9s %9s %9s %9s %8s %8s",
          "trials",
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
          "%-16s %6d %9.4f %9.4f %9.4f %9.3f %9.3f %9.3f %7.1f%% %7.1f%%",
          group,
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

  /** The Resnet-18 MS+NL concat map, 20 random programmes per country, DiM. */
  public static DhsTrials defaults(Path predictionsCsv) {
    return new DhsTrials(
        predictionsCsv, "Resnet-18 MS+NL concat", 20, EffectRequest.Estimator.DIM, 11L);
  }

  /** Runs every trial of every country; {@code progress} is told each finished country. */
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
      EffectRequest.Calibration calibration =
          new EffectRequest.Calibration(
              pick(prediction, out), pick(label, out), "DHS clusters outside " + c);
      Map<String, double[]> groups = new LinkedHashMap<>();
      groups.put("urban", indicator(in, i -> urban[i].equalsIgnoreCase("true")));
      TreeSet<String> years = new TreeSet<>();
      for (int i : in) {
        years.add(year[i]);
      }
      if (years.size() > 1) {
        for (String y : years) {
          groups.put("year " + y, indicator(in, i -> year[i].equals(y)));
        }
      }
      double medianLat = median(pick(lat, in));
      double medianLon = median(pick(lon, in));
      groups.put("north", indicator(in, i -> lat[i] > medianLat));
      groups.put("east", indicator(in, i -> lon[i] > medianLon));
      double[] y = pick(label, in);
      for (int r = 0; r < randomTrials; r++) {
        groups.put("programme " + r, programme(in, lat, lon, random));
        groups.put("targeted " + r, targeted(y, random));
      }
      double[] yhat = pick(prediction, in);
      for (Map.Entry<String, double[]> g : groups.entrySet()) {
        double[] a = g.getValue();
        int treated = (int) Arrays.stream(a).sum();
        if (treated < 2 || treated > a.length - 2) {
          continue;
        }
        Map<String, double[]> columns = new LinkedHashMap<>();
        columns.put("a", a);
        columns.put("label", y);
        columns.put("prediction", yhat);
        UnitTable table = UnitTable.ofNumeric(columns);
        try {
          double truth = estimate(effects, table, "label", Correction.NONE, null);
          double raw = estimate(effects, table, "prediction", Correction.NONE, null);
          double lcc = estimate(effects, table, "prediction", Correction.LCC, calibration);
          double tweedie = estimate(effects, table, "prediction", Correction.TWEEDIE, calibration);
          String kind = g.getKey().split(" ")[0];
          trials.add(new Trial(c, kind, treated, a.length, truth, raw, lcc, tweedie));
        } catch (CausalInputException e) {
          continue;
        }
      }
      progress.accept(done++);
    }
    return trials;
  }

  /** Summaries over all trials and per trial kind. */
  public static List<Summary> summarize(List<Trial> trials) {
    List<Summary> out = new ArrayList<>();
    out.add(summary("all", trials));
    List<Trial> geographic = trials.stream().filter(t -> !t.kind().equals("targeted")).toList();
    out.add(summary("image-visible", geographic));
    for (String kind : List.of("urban", "year", "north", "east", "programme", "targeted")) {
      List<Trial> subset = trials.stream().filter(t -> t.kind().equals(kind)).toList();
      if (!subset.isEmpty()) {
        out.add(summary(kind, subset));
      }
    }
    return out;
  }

  private static Summary summary(String group, List<Trial> trials) {
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
    double mean = Arrays.stream(label).average().orElse(0);
    double ss = 0;
    for (double v : label) {
      ss += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(ss / Math.max(1, label.length - 1));
    double strength = 0.5 + 1.5 * random.nextDouble();
    double offset = 2 * random.nextDouble() - 1;
    double[] a = new double[label.length];
    for (int t = 0; t < label.length; t++) {
      double score = offset - strength * (label[t] - mean) / sd;
      a[t] = random.nextDouble() < 1 / (1 + Math.exp(-score)) ? 1 : 0;
    }
    return a;
  }

  private static double[] indicator(int[] in, java.util.function.IntPredicate treated) {
    double[] a = new double[in.length];
    for (int t = 0; t < in.length; t++) {
      a[t] = treated.test(in[t]) ? 1 : 0;
    }
    return a;
  }

  private static int[] indices(String[] country, String c, boolean equal) {
    return java.util.stream.IntStream.range(0, country.length)
        .filter(i -> country[i].equals(c) == equal)
        .toArray();
  }

  private static double[] pick(double[] values, int[] idx) {
    double[] out = new double[idx.length];
    for (int t = 0; t < idx.length; t++) {
      out[t] = values[idx[t]];
    }
    return out;
  }

  private static double median(double[] values) {
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
