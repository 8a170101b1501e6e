package io.terrafield.causal.experiments;

import io.terrafield.causal.CausalInputException;
import io.terrafield.causal.EffectEstimator;
import io.terrafield.causal.EffectRequest;
import io.terrafield.causal.EffectResult;
import io.terrafield.causal.UnitTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The correction recommendation measured on DHS countries it was not tuned on. The 17 countries are
 * split (seeded) into a tuning set and a check set. Every trial of a check country (the families of
 * {@link DhsTrials}) is calibrated with the pairs of the tuning countries only, with the country as
 * stratum and the trial's assignment rule replicated on the tuning countries' clusters (urban:
 * their urban indicator; region: north/east of their own median; year: the same survey year;
 * programme: a spatial programme of the same share around a random centre; paper and targeted: the
 * same rule with the same parameters applied to their labels). One estimate per trial gives raw,
 * LCC, Tweedie, lcc-group and the recommended correction ({@code CorrectionAdvisor}); the reference
 * is the contrast on the true labels. The tuning set is evaluated the same way, each tuning country
 * calibrated by the other tuning countries, so the thresholds can be looked at there without
 * touching the check set.
 *
 * @param predictionsCsv dhs_wealth_predictions_ooc.csv
 * @param model prediction column
 * @param randomTrials paper, targeted and programme trials per country (each)
 * @param tuningCountries how many countries form the tuning set
 * @param seed seed of the split and of the random trials
 */
public record DhsCheckSet(
    Path predictionsCsv, String model, int randomTrials, int tuningCountries, long seed) {

  /** Checks the arguments. */
  public DhsCheckSet {
    if (randomTrials < 0) {
      throw new CausalInputException("randomTrials must be >= 0, got " + randomTrials);
    }
    if (tuningCountries < 2) {
      throw new CausalInputException("tuningCountries must be >= 2, got " + tuningCountries);
    }
  }

  /** Resnet-18 MS+NL concat, 10 random trials per family and country, 9 tuning countries. */
  public static DhsCheckSet defaults(Path predictionsCsv) {
    return new DhsCheckSet(predictionsCsv, "Resnet-18 MS+NL concat", 10, 9, 16L);
  }

  /**
   * One trial.
   *
   * @param set "tuning" or "check"
   * @param country analysed country
   * @param kind trial family
   * @param truth contrast on the labels
   * @param raw contrast on the raw map
   * @param lcc LCC
   * @param tweedie Tweedie
   * @param lccGroup lcc-group (NaN when not identified)
   * @param recommendedName the recommended correction
   * @param recommended its estimate
   */
  public record Trial(
      String set,
      String country,
      String kind,
      double truth,
      double raw,
      double lcc,
      double tweedie,
      double lccGroup,
      String recommendedName,
      double recommended) {}

  /**
   * Mean absolute errors of one family.
   *
   * @param set "tuning" or "check"
   * @param group family, "image-visible" or "all"
   * @param trials trials
   * @param maeRaw raw
   * @param maeLcc LCC
   * @param maeTweedie Tweedie
   * @param maeLccGroup lcc-group (over the trials where it is identified, else raw)
   * @param maeRecommended recommended
   * @param chosen how often each correction was recommended
   */
  public record Summary(
      String set,
      String group,
      int trials,
      double maeRaw,
      double maeLcc,
      double maeTweedie,
      double maeLccGroup,
      double maeRecommended,
      String chosen) {

    /** Markdown header. */
    public static String header() {
      return "| set | trials | n | MAE raw | MAE LCC | MAE Tweedie | MAE lcc-group | MAE recommended"
          + " | recommended / raw | recommended |\n|---|---|---|---|---|---|---|---|---|---|";
    }

    /** Markdown row. */
    public String row() {
      return String.format(
          Locale.ROOT,
          "| %s | %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f | %s |",
          set,
          group,
          trials,
          maeRaw,
          maeLcc,
          maeTweedie,
          maeLccGroup,
          maeRecommended,
          maeRecommended / maeRaw,
          chosen);
    }
  }

  /** The countries of the tuning set (sorted), from the seed. */
  public List<String> tuningSet(List<String> countries) {
    List<String> shuffled = new ArrayList<>(countries);
    Collections.shuffle(shuffled, new Random(seed));
    return new ArrayList<>(new TreeSet<>(shuffled.subList(0, tuningCountries)));
  }

  /** Runs the tuning and the check trials; {@code progress} hears each finished country. */
  public List<Trial> run(IntConsumer progress) throws IOException {
    UnitTable all = UnitTable.readCsv(predictionsCsv);
    Data d = new Data(all, model);
    List<String> countries = new ArrayList<>(new TreeSet<>(Arrays.asList(d.country)));
    if (tuningCountries >= countries.size()) {
      throw new CausalInputException(
          "tuningCountries must be below the number of countries ("
              + countries.size()
              + "), got "
              + tuningCountries);
    }
    List<String> tuning = tuningSet(countries);
    List<Trial> out = new ArrayList<>();
    EffectEstimator effects = new EffectEstimator();
    int done = 0;
    for (String c : countries) {
      boolean isTuning = tuning.contains(c);
      List<String> sources = new ArrayList<>(tuning);
      sources.remove(c);
      Random random = new Random(seed * 1_000_003L + c.hashCode());
      for (Rule rule : rules(d, c, random)) {
        runTrial(out, effects, d, isTuning ? "tuning" : "check", c, rule, sources, random);
      }
      progress.accept(done++);
    }
    return out;
  }

  private void runTrial(
      List<Trial> out,
      EffectEstimator effects,
      Data d,
      String set,
      String country,
      Rule rule,
      List<String> sources,
      Random random) {
    int[] in = d.indices(country);
    double[] a = rule.assign(in, random);
    int treated = (int) Arrays.stream(a).sum();
    if (treated < 2 || treated > a.length - 2) {
      return;
    }
    List<double[]> p = new ArrayList<>();
    List<double[]> l = new ArrayList<>();
    List<double[]> g = new ArrayList<>();
    List<String> strata = new ArrayList<>();
    for (String s : sources) {
      int[] members = d.indices(s);
      double[] gs = rule.assign(members, random);
      p.add(DhsTrials.pick(d.prediction, members));
      l.add(DhsTrials.pick(d.label, members));
      g.add(gs);
      for (int i = 0; i < members.length; i++) {
        strata.add(s);
      }
    }
    EffectRequest.Calibration calibration =
        EffectRequest.Calibration.centredWithin(
                concat(p),
                concat(l),
                strata.toArray(String[]::new),
                "DHS clusters of the tuning countries except " + country)
            .withMembership(concat(g));
    Map<String, double[]> columns = new LinkedHashMap<>();
    columns.put("a", a);
    columns.put("label", DhsTrials.pick(d.label, in));
    columns.put("prediction", DhsTrials.pick(d.prediction, in));
    UnitTable table = UnitTable.ofNumeric(columns);
    EffectRequest.Options base = EffectRequest.Options.defaults();
    EffectRequest.Options options =
        new EffectRequest.Options(
            base.level(),
            base.folds(),
            base.learner(),
            base.dmlModel(),
            base.trim(),
            base.bootstrap(),
            base.bootstrapReplications(),
            0,
            base.missing(),
            seed);
    try {
      double truth =
          effects
              .estimate(
                  EffectRequest.builder(table, "a", "label")
                      .estimator(EffectRequest.Estimator.DIM)
                      .options(options)
                      .build())
              .estimate();
      EffectResult r =
          effects.estimate(
              EffectRequest.builder(table, "a", "prediction")
                  .estimator(EffectRequest.Estimator.DIM)
                  .correction(EffectRequest.Correction.LCC)
                  .calibration(calibration)
                  .options(options)
                  .build());
      EffectResult.CorrectionAdvice advice = r.diagnostics().correctionAdvice();
      Map<String, Double> byName = new LinkedHashMap<>();
      for (EffectResult.CorrectionEstimate e : advice.corrections()) {
        byName.put(e.correction(), e.estimate());
      }
      out.add(
          new Trial(
              set,
              country,
              rule.kind(),
              truth,
              byName.get("none"),
              byName.get("lcc"),
              byName.get("tweedie"),
              byName.getOrDefault("lcc-group", Double.NaN),
              advice.recommended(),
              byName.get(advice.recommended())));
    } catch (CausalInputException e) {
      // a degenerate contrast (e.g. a constant arm) is not a trial
    }
  }

  /** Summaries per set: each family, the image-visible families, all trials. */
  public static List<Summary> summarize(List<Trial> trials) {
    List<Summary> out = new ArrayList<>();
    for (String set : List.of("tuning", "check")) {
      List<Trial> ofSet = trials.stream().filter(t -> t.set().equals(set)).toList();
      for (String family : DhsTrials.FAMILIES) {
        List<Trial> f = ofSet.stream().filter(t -> t.kind().equals(family)).toList();
        if (!f.isEmpty()) {
          out.add(summary(set, family, f));
        }
      }
      List<Trial> visible =
          ofSet.stream().filter(t -> DhsTrials.IMAGE_VISIBLE.contains(t.kind())).toList();
      if (!visible.isEmpty()) {
        out.add(summary(set, "image-visible", visible));
      }
      if (!ofSet.isEmpty()) {
        out.add(summary(set, "all", ofSet));
      }
    }
    return out;
  }

  private static Summary summary(String set, String group, List<Trial> trials) {
    double raw = 0;
    double lcc = 0;
    double tweedie = 0;
    double lccGroup = 0;
    double recommended = 0;
    Map<String, Integer> chosen = new java.util.TreeMap<>();
    for (Trial t : trials) {
      raw += Math.abs(t.raw() - t.truth());
      lcc += Math.abs(t.lcc() - t.truth());
      tweedie += Math.abs(t.tweedie() - t.truth());
      double lg = Double.isFinite(t.lccGroup()) ? t.lccGroup() : t.raw();
      lccGroup += Math.abs(lg - t.truth());
      recommended += Math.abs(t.recommended() - t.truth());
      chosen.merge(t.recommendedName(), 1, Integer::sum);
    }
    int n = trials.size();
    StringBuilder text = new StringBuilder();
    chosen.forEach(
        (name, count) ->
            text.append(text.length() == 0 ? "" : ", ").append(name).append(' ').append(count));
    return new Summary(
        set,
        group,
        n,
        raw / n,
        lcc / n,
        tweedie / n,
        lccGroup / n,
        recommended / n,
        text.toString());
  }

  /** An assignment rule that can be applied to any country's clusters. */
  private interface Assignment {
    double[] assign(int[] members, Random random);
  }

  private record Rule(String kind, Assignment assignment) {
    double[] assign(int[] members, Random random) {
      return assignment.assign(members, random);
    }
  }

  private List<Rule> rules(Data d, String country, Random random) {
    List<Rule> rules = new ArrayList<>();
    rules.add(new Rule("urban", (m, r) -> DhsTrials.indicator(m, i -> d.urban[i])));
    TreeSet<String> years = new TreeSet<>();
    for (int i : d.indices(country)) {
      years.add(d.year[i]);
    }
    if (years.size() > 1) {
      for (String yr : years) {
        rules.add(new Rule("year", (m, r) -> sameYears(d, m, yr, years)));
      }
    }
    rules.add(
        new Rule(
            "region",
            (m, r) -> {
              double median = DhsTrials.median(DhsTrials.pick(d.lat, m));
              return DhsTrials.indicator(m, i -> d.lat[i] > median);
            }));
    rules.add(
        new Rule(
            "region",
            (m, r) -> {
              double median = DhsTrials.median(DhsTrials.pick(d.lon, m));
              return DhsTrials.indicator(m, i -> d.lon[i] > median);
            }));
    for (int t = 0; t < randomTrials; t++) {
      double share = 0.15 + 0.25 * random.nextDouble();
      rules.add(new Rule("programme", (m, r) -> programme(d, m, share, r)));
      double strength = 0.5 + 1.5 * random.nextDouble();
      double offset = 2 * random.nextDouble() - 1;
      rules.add(
          new Rule(
              "targeted",
              (m, r) -> {
                double[] z = DhsTrials.standardized(DhsTrials.pick(d.label, m));
                double[] a = new double[m.length];
                for (int i = 0; i < m.length; i++) {
                  double p = 1 / (1 + Math.exp(-(offset - strength * z[i])));
                  a[i] = r.nextDouble() < p ? 1 : 0;
                }
                return a;
              }));
      double rho = 0.3 + 0.7 * random.nextDouble();
      double slope = (random.nextBoolean() ? 1 : -1) * (0.5 + 1.5 * random.nextDouble());
      double base = random.nextDouble() - 0.5;
      rules.add(
          new Rule(
              "paper",
              (m, r) -> {
                double[] z = DhsTrials.standardized(DhsTrials.pick(d.label, m));
                double[] a = new double[m.length];
                for (int i = 0; i < m.length; i++) {
                  double c = rho * z[i] + Math.sqrt(1 - rho * rho) * r.nextGaussian();
                  double p = 1 / (1 + Math.exp(-(base + slope * c)));
                  a[i] = r.nextDouble() < p ? 1 : 0;
                }
                return a;
              }));
    }
    return rules;
  }

  /**
   * The year contrast replicated on any country's clusters: 1 for the survey year, 0 for the
   * analysed country's other survey years, NaN (in neither arm) for any other year, so that a
   * calibration country compares the same years as the analysed one.
   */
  private static double[] sameYears(Data d, int[] m, String year, java.util.Set<String> years) {
    double[] a = new double[m.length];
    for (int t = 0; t < m.length; t++) {
      String y = d.year[m[t]];
      a[t] = y.equals(year) ? 1 : years.contains(y) ? 0 : Double.NaN;
    }
    return a;
  }

  /** A spatial programme: the share of clusters nearest to a random centre. */
  private static double[] programme(Data d, int[] m, double share, Random random) {
    int n = m.length;
    int centre = m[random.nextInt(n)];
    int size = (int) Math.round(n * share);
    Integer[] order = new Integer[n];
    double[] distance = new double[n];
    for (int t = 0; t < n; t++) {
      order[t] = t;
      double dLat = d.lat[m[t]] - d.lat[centre];
      double dLon = (d.lon[m[t]] - d.lon[centre]) * Math.cos(Math.toRadians(d.lat[centre]));
      distance[t] = dLat * dLat + dLon * dLon;
    }
    Arrays.sort(order, (p, q) -> Double.compare(distance[p], distance[q]));
    double[] a = new double[n];
    for (int t = 0; t < size; t++) {
      a[order[t]] = 1;
    }
    return a;
  }

  private static final class Data {
    final String[] country;
    final String[] year;
    final boolean[] urban;
    final double[] lat;
    final double[] lon;
    final double[] label;
    final double[] prediction;
    final Map<String, int[]> byCountry = new LinkedHashMap<>();

    Data(UnitTable all, String model) {
      country = all.text("country", "country");
      year = all.text("year", "year");
      String[] u = all.text("urban", "urban");
      urban = new boolean[u.length];
      for (int i = 0; i < u.length; i++) {
        urban[i] = u[i].equalsIgnoreCase("true");
      }
      lat = all.numeric("lat", "latitude");
      lon = all.numeric("lon", "longitude");
      label = all.numeric("label", "label");
      prediction = all.numeric(model, "prediction");
    }

    int[] indices(String c) {
      return byCountry.computeIfAbsent(
          c, k -> IntStream.range(0, country.length).filter(i -> country[i].equals(k)).toArray());
    }
  }

  private static double[] concat(List<double[]> parts) {
    int n = parts.stream().mapToInt(v -> v.length).sum();
    double[] out = new double[n];
    int k = 0;
    for (double[] part : parts) {
      System.arraycopy(part, 0, out, k, part.length);
      k += part.length;
    }
    return out;
  }
}
