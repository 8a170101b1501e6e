package io.terrafield.causal.cli;

import io.terrafield.causal.experiments.DhsCheckSet;
import io.terrafield.causal.experiments.DhsTrials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code effect trials}: "one map, many trials" on the DHS clusters. */
@Command(
    name = "trials",
    mixinStandardHelpOptions = true,
    description =
        "MAE of raw, LCC and Tweedie estimates against label-based estimates on DHS, per trial"
            + " family and calibration design.")
final class TrialsCommand implements Callable<Integer> {

  @Option(
      names = "--data",
      defaultValue = "../shared/data/causal",
      description = "folder with dhs_wealth_predictions_ooc.csv (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(
      names = "--model",
      defaultValue = "Resnet-18 MS+NL concat",
      description =
          "prediction column of dhs_wealth_predictions_ooc.csv used as the wealth map (default:"
              + " ${DEFAULT-VALUE})")
  String model;

  @Option(
      names = "--random-trials",
      defaultValue = "20",
      description =
          "paper, targeted and spatial-programme trials per country (each); 0 or more"
              + " (default: ${DEFAULT-VALUE})")
  int randomTrials;

  @Option(
      names = "--in-country-share",
      defaultValue = "0.5",
      description =
          "share of a country's clusters held out as its in-country calibration split, a"
              + " fraction in (0, 1) (default: ${DEFAULT-VALUE})")
  double inCountryShare;

  @Option(
      names = "--seed",
      defaultValue = "11",
      description =
          "random seed of the random trials, the in-country split and (--check-set) the"
              + " tuning/check split (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--plot",
      description =
          "write PNG scatters (estimate vs truth) per trial family for the --plot-design"
              + " calibration: PREFIX-paper.png, PREFIX-targeted.png, PREFIX-image-visible.png")
  String plotPrefix;

  @Option(
      names = "--plot-design",
      defaultValue = "ooc-pooled",
      description =
          "calibration design of the plots: ooc-pooled, ooc-within or in-country (default:"
              + " ${DEFAULT-VALUE})")
  String plotDesign;

  @Option(
      names = "--markdown",
      description = "also print the tables as one Markdown table (for the README)")
  boolean markdown;

  @Option(
      names = "--check-set",
      description =
          "instead of the calibration designs: split the countries into a tuning and a check set"
              + " and report raw / LCC / Tweedie / lcc-group / recommended MAE per family, each"
              + " trial calibrated by tuning countries only")
  boolean checkSet;

  @Option(
      names = "--tuning-countries",
      defaultValue = "9",
      description =
          "--check-set: countries in the tuning set, at least 2 (default: ${DEFAULT-VALUE})")
  int tuningCountries;

  private int checkSet() throws IOException {
    Path csv = data.resolve("dhs_wealth_predictions_ooc.csv");
    if (!Files.isRegularFile(csv)) {
      throw new IllegalArgumentException(
          "--data " + data + " has no dhs_wealth_predictions_ooc.csv");
    }
    DhsCheckSet run = new DhsCheckSet(csv, model, randomTrials, tuningCountries, seed);
    List<DhsCheckSet.Trial> trials;
    try (ProgressBar bar = ProgressBars.create("DHS check set", 17)) {
      trials = run.run(c -> bar.step());
    }
    List<String> countries =
        trials.stream().map(DhsCheckSet.Trial::country).distinct().sorted().toList();
    System.out.println("tuning countries: " + run.tuningSet(countries));
    System.out.println(
        "check countries: "
            + trials.stream()
                .filter(t -> t.set().equals("check"))
                .map(DhsCheckSet.Trial::country)
                .distinct()
                .sorted()
                .toList());
    System.out.println(DhsCheckSet.Summary.header());
    for (DhsCheckSet.Summary s : DhsCheckSet.summarize(trials)) {
      System.out.println(s.row());
    }
    return 0;
  }

  @Override
  public Integer call() throws IOException {
    if (checkSet) {
      return checkSet();
    }
    DhsTrials.Design shown = design(plotDesign);
    if (randomTrials < 0) {
      throw new IllegalArgumentException("--random-trials must be >= 0, got " + randomTrials);
    }
    if (!(inCountryShare > 0 && inCountryShare < 1)) {
      throw new IllegalArgumentException(
          "--in-country-share must lie strictly between 0 and 1, got " + inCountryShare);
    }
    Path csv = data.resolve("dhs_wealth_predictions_ooc.csv");
    if (!Files.isRegularFile(csv)) {
      throw new IllegalArgumentException(
          "--data " + data + " has no dhs_wealth_predictions_ooc.csv");
    }
    DhsTrials base = DhsTrials.defaults(csv);
    DhsTrials trials =
        new DhsTrials(csv, model, randomTrials, base.estimator(), inCountryShare, seed);
    List<DhsTrials.Trial> results;
    try (ProgressBar bar = ProgressBars.create("countries", 17)) {
      results = trials.run(c -> bar.step());
    }
    System.out.println(
        "One map, many trials: model '"
            + model
            + "', estimator dim; MAE against the same contrast estimated on the true labels");
    System.out.println(
        "calibration designs: ooc-pooled = pairs of the other countries; ooc-within = the same"
            + " pairs centred per country (within-country slope and sigma^2); in-country = "
            + Math.round(100 * inCountryShare)
            + " % of the country's clusters, trials on the rest");
    List<DhsTrials.Summary> summaries = DhsTrials.summarize(results);
    for (DhsTrials.Design design : DhsTrials.Design.values()) {
      System.out.println();
      System.out.println("calibration: " + design.label());
      System.out.println(DhsTrials.Summary.header());
      summaries.stream()
          .filter(s -> s.design() == design)
          .forEach(s -> System.out.println(s.row()));
    }
    System.out.println();
    System.out.println(
        "contrast-level calibration (raw / k_f, k_f = slope of predicted on true contrasts of the"
            + " same family in the other 16 countries, ooc-pooled trials):");
    System.out.println(DhsTrials.ContrastSummary.header());
    DhsTrials.contrastCalibration(results).forEach(s -> System.out.println(s.row()));
    if (markdown) {
      System.out.println();
      System.out.println(
          "| trials | calibration | n | MAE raw | MAE LCC | MAE Tweedie | slope raw | slope LCC"
              + " | slope Tweedie | LCC closer than raw | Tweedie closer than raw |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
      summaries.forEach(s -> System.out.println(s.markdownRow()));
    }
    if (plotPrefix != null) {
      List<DhsTrials.Trial> ofDesign = results.stream().filter(t -> t.design() == shown).toList();
      String suffix = " (calibration " + shown.label() + ")";
      TrialsPlot.write(
          ofDesign.stream().filter(t -> t.kind().equals("paper")).toList(),
          "Paper design: assignment by a confounder of wealth" + suffix,
          Path.of(plotPrefix + "-paper.png"));
      TrialsPlot.write(
          ofDesign.stream().filter(t -> t.kind().equals("targeted")).toList(),
          "Targeted by surveyed wealth" + suffix,
          Path.of(plotPrefix + "-targeted.png"));
      TrialsPlot.write(
          ofDesign.stream().filter(t -> DhsTrials.IMAGE_VISIBLE.contains(t.kind())).toList(),
          "Image-visible groups" + suffix,
          Path.of(plotPrefix + "-image-visible.png"));
      System.out.println(
          "wrote " + plotPrefix + "-paper.png, -targeted.png and -image-visible.png");
    }
    return 0;
  }

  private DhsTrials.Design design(String text) {
    for (DhsTrials.Design d : DhsTrials.Design.values()) {
      if (d.label().equalsIgnoreCase(text)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "--plot-design must be ooc-pooled, ooc-within or in-country, got '" + text + "'");
  }
}
