package io.terrafield.causal.cli;

import io.terrafield.causal.experiments.DhsTrials;
import java.io.IOException;
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
    description = "MAE of raw, LCC and Tweedie estimates against label-based estimates on DHS.")
final class TrialsCommand implements Callable<Integer> {

  @Option(
      names = "--data",
      defaultValue = "../shared/data/causal",
      description = "folder with" + " dhs_wealth_predictions_ooc.csv")
  Path data;

  @Option(names = "--model", defaultValue = "Resnet-18 MS+NL concat")
  String model;

  @Option(
      names = "--random-trials",
      defaultValue = "20",
      description = "random programmes and" + " targeted trials per country")
  int randomTrials;

  @Option(names = "--seed", defaultValue = "11")
  long seed;

  @Option(
      names = "--plot",
      description =
          "write a PNG scatter (estimate vs truth) per trial"
              + " family: PREFIX-targeted.png and PREFIX-image-visible.png")
  String plotPrefix;

  @Override
  public Integer call() throws IOException {
    DhsTrials base = DhsTrials.defaults(data.resolve("dhs_wealth_predictions_ooc.csv"));
    DhsTrials trials =
        new DhsTrials(base.predictionsCsv(), model, randomTrials, base.estimator(), seed);
    List<DhsTrials.Trial> results;
    try (ProgressBar bar = SimulateCommand.bar("countries", 17)) {
      results = trials.run(c -> bar.step());
    }
    System.out.println(
        "One map, many trials: model '"
            + model
            + "', calibration pairs from the other 16 countries, estimator dim; errors against"
            + " the same contrast estimated on the true labels");
    System.out.println(DhsTrials.Summary.header());
    for (DhsTrials.Summary s : DhsTrials.summarize(results)) {
      System.out.println(s.row());
    }
    if (plotPrefix != null) {
      List<DhsTrials.Trial> visible =
          results.stream().filter(t -> !t.kind().equals("targeted")).toList();
      TrialsPlot.write(
          results,
          "targeted",
          "Targeted trials (assignment by surveyed wealth)",
          Path.of(plotPrefix + "-targeted.png"));
      TrialsPlot.write(
          visible,
          null,
          "Image-visible trials (urban, year, north, east, programme)",
          Path.of(plotPrefix + "-image-visible.png"));
      System.out.println("wrote " + plotPrefix + "-targeted.png and -image-visible.png");
    }
    return 0;
  }
}
