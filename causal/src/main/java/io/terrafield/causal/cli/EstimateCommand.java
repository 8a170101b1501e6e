package io.terrafield.causal.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.terrafield.causal.CausalInputException;
import io.terrafield.causal.EffectEstimator;
import io.terrafield.causal.EffectRequest;
import io.terrafield.causal.EffectResult;
import io.terrafield.causal.UnitTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code effect estimate}: the report.json contract of ARCHITECTURE.md, plus raster options for
 * satellite confounders, a raster outcome (a wealth map) and a resolution-sensitivity report.
 */
@Command(
    name = "estimate",
    mixinStandardHelpOptions = true,
    description = "Estimate a treatment effect and write report.json.")
final class EstimateCommand implements Callable<Integer> {

  @Option(names = "--units", required = true, description = "CSV of units, one row each")
  Path units;

  @Option(names = "--treatment", required = true, description = "0/1 treatment column")
  String treatment;

  @Option(
      names = "--outcome",
      required = true,
      description = "outcome column (or name for the" + " column sampled from --outcome-raster)")
  String outcome;

  @Option(names = "--covariates", split = ",", description = "confounder columns")
  List<String> covariates = new ArrayList<>();

  @Option(
      names = "--estimand",
      defaultValue = "ate",
      description =
          "ate (average effect over all units) or att (average effect on the treated) (default:"
              + " ${DEFAULT-VALUE})")
  String estimand;

  @Option(
      names = "--estimator",
      defaultValue = "aipw",
      description =
          "dim (difference in means), ols (regression imputation), ipw (inverse propensity"
              + " weighting), aipw (doubly robust) or dml (double machine learning) (default:"
              + " ${DEFAULT-VALUE})")
  String estimator;

  @Option(
      names = "--correction",
      defaultValue = "none",
      description =
          "correction of a predicted (map) outcome: none, lcc (linear calibration), tweedie,"
              + " ppi (prediction-powered, with --ppi-label) or lcc-group (default:"
              + " ${DEFAULT-VALUE})")
  String correction;

  @Option(
      names = "--calibration-group",
      description =
          "0/1 column of --calibration: the treatment rule replicated on the calibration units"
              + " (e.g. the urban indicator); tests whether the map sees the group beyond the"
              + " outcome and enables --correction lcc-group; an empty value marks a unit in"
              + " neither arm (it informs k, not the group effect)")
  String calibrationGroup;

  @Option(
      names = "--calibration-strata",
      description =
          "column of --calibration naming each pair's stratum (e.g. country): checks that k and"
              + " the group effect are stable across strata")
  String calibrationStrata;

  @Option(names = "--calibration", description = "CSV of calibration pairs")
  Path calibration;

  @Option(names = "--calibration-prediction", description = "prediction column of --calibration")
  String calibrationPrediction;

  @Option(names = "--calibration-label", description = "label column of --calibration")
  String calibrationLabel;

  @Option(names = "--ppi-label", description = "column of fresh labels for PPI (empty = none)")
  String ppiLabel;

  @Option(names = "--cluster", description = "cluster column for cluster-robust SEs")
  String cluster;

  @Option(names = "--conley-km", description = "Conley spatial SEs with this cutoff (km)")
  Double conleyKm;

  @Option(
      names = "--lat-col",
      defaultValue = "lat",
      description = "latitude column, degrees (default: ${DEFAULT-VALUE})")
  String latColumn;

  @Option(
      names = "--lon-col",
      defaultValue = "lon",
      description = "longitude column, degrees (default: ${DEFAULT-VALUE})")
  String lonColumn;

  @Option(names = "--where", description = "keep units with COL=VALUE (repeatable)")
  List<String> where = new ArrayList<>();

  @Option(names = "--calibration-where", description = "keep calibration rows with COL=VALUE")
  List<String> calibrationWhere = new ArrayList<>();

  @Option(names = "--outcome-raster", description = "GeoTIFF sampled at the units as the outcome")
  Path outcomeRaster;

  @Option(
      names = "--confounder-raster",
      description = "NAME=TIF: raster sampled at the units as confounder NAME (repeatable)")
  Map<String, Path> confounderRasters = new LinkedHashMap<>();

  @Option(
      names = "--spectral-index",
      description =
          "INDEX=TIF: ndvi, ndwi or ndbi of a multispectral raster as a confounder"
              + " (repeatable; needs --band-map)")
  Map<String, Path> spectralIndices = new LinkedHashMap<>();

  @Option(names = "--band-map", description = "landsat7, landsat8 or name=band,... (1-based)")
  String bandMap;

  @Option(
      names = "--buffer-m",
      defaultValue = "0",
      description =
          "buffer radius (m) for raster confounder statistics (mean, SD); 0 = point values"
              + " only (default: ${DEFAULT-VALUE})")
  double bufferM;

  @Option(names = "--log-confounders", description = "log1p-transform raster confounders")
  boolean logConfounders;

  @Option(
      names = "--outside-raster",
      defaultValue = "error",
      description =
          "units outside a raster: error (fail) or drop (leave them out, noted in the report)"
              + " (default: ${DEFAULT-VALUE})")
  String outsideRaster;

  @Option(
      names = "--resolution-factors",
      split = ",",
      description = "re-estimate with rasters average-pooled by these factors, e.g. 2,4,8")
  List<Integer> resolutionFactors = new ArrayList<>();

  @Option(
      names = "--pool-outcome",
      description =
          "resolution sensitivity also pools the outcome raster (default: confounders" + " only)")
  boolean poolOutcome;

  @Option(names = "--treatment-note", description = "how the treatment is defined, for the report")
  String treatmentNote;

  @Option(
      names = "--folds",
      defaultValue = "5",
      description =
          "cross-fitting folds of the nuisance models of aipw and dml; 1 = no cross-fitting"
              + " (default: ${DEFAULT-VALUE})")
  int folds;

  @Option(
      names = "--learner",
      defaultValue = "linear",
      description =
          "nuisance learner: linear (ridge / logistic regression) or boosting (gradient-boosted"
              + " trees) (default: ${DEFAULT-VALUE})")
  String learner;

  @Option(
      names = "--dml-model",
      defaultValue = "plr",
      description =
          "dml model: plr (partially linear) or irm (interactive; att always uses it) (default:"
              + " ${DEFAULT-VALUE})")
  String dmlModel;

  @Option(
      names = "--bootstrap",
      defaultValue = "none",
      description =
          "standard errors: none (influence function), multiplier (Gaussian multiplier bootstrap,"
              + " no refits) or nonparametric (resample units or clusters, refit) (default:"
              + " ${DEFAULT-VALUE})")
  String bootstrap;

  @Option(
      names = "--bootstrap-reps",
      defaultValue = "1000",
      description =
          "replications of --bootstrap multiplier or nonparametric, at least 2 (default:"
              + " ${DEFAULT-VALUE})")
  int bootstrapReps;

  @Option(
      names = "--calibration-reps",
      defaultValue = "200",
      description =
          "bootstrap replications over the --calibration pairs that add the calibration's"
              + " uncertainty to the SE of lcc, tweedie and lcc-group; 0 or 1 = not added"
              + " (default: ${DEFAULT-VALUE})")
  int calibrationReps;

  @Option(
      names = "--level",
      defaultValue = "0.95",
      description =
          "confidence level of the interval, a fraction in (0, 1) (default: ${DEFAULT-VALUE})")
  double level;

  @Option(
      names = "--trim",
      defaultValue = "0.01",
      description =
          "propensity scores are clipped to [trim, 1 - trim]; in [0, 0.5) (default:"
              + " ${DEFAULT-VALUE})")
  double trim;

  @Option(
      names = "--missing",
      defaultValue = "error",
      description =
          "units with a missing (NaN) covariate: error (fail naming column and row) or drop"
              + " (leave them out, counted in the report) (default: ${DEFAULT-VALUE})")
  String missing;

  @Option(
      names = "--seed",
      defaultValue = "20250801",
      description =
          "random seed of the cross-fitting folds and the bootstraps: the same seed gives the"
              + " same report (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", required = true, description = "report.json path")
  Path out;

  @Override
  public Integer call() throws IOException {
    boolean drop = parseOutside(outsideRaster);
    EffectRequest.Options options =
        new EffectRequest.Options(
            level,
            folds,
            EffectRequest.Learner.parse(learner),
            EffectRequest.DmlModel.parse(dmlModel),
            trim,
            EffectRequest.Bootstrap.parse(bootstrap),
            bootstrapReps,
            calibrationReps,
            EffectRequest.MissingPolicy.parse(missing),
            seed);
    EffectRequest.Correction correctionKind = EffectRequest.Correction.parse(correction);
    EffectRequest.Estimand estimandKind = EffectRequest.Estimand.parse(estimand);
    EffectRequest.Estimator estimatorKind = EffectRequest.Estimator.parse(estimator);
    UnitTable table = filter(UnitTable.readCsv(units), where, "--where");
    UnitTable calibrationTable = null;
    if (correctionKind == EffectRequest.Correction.LCC
        || correctionKind == EffectRequest.Correction.TWEEDIE
        || correctionKind == EffectRequest.Correction.LCC_GROUP) {
      if (calibration == null || calibrationPrediction == null || calibrationLabel == null) {
        throw new CausalInputException(
            "--correction "
                + correction
                + " needs --calibration, --calibration-prediction and --calibration-label");
      }
      calibrationTable =
          filter(UnitTable.readCsv(calibration), calibrationWhere, "--calibration-where");
    }
    RasterInputs rasters =
        RasterInputs.open(outcomeRaster, confounderRasters, spectralIndices, bandMap);
    List<String> notes = new ArrayList<>();
    if (drop) {
      table = rasters.keepCovered(table, latColumn, lonColumn, notes, "units");
    }

    EffectEstimator estimator = new EffectEstimator();
    Built built = build(table, calibrationTable, rasters, 1, drop, correctionKind);
    EffectRequest request = request(built, correctionKind, estimandKind, estimatorKind, options);
    EffectResult result = estimator.estimate(request);

    ObjectMapper mapper = Reports.mapper();
    ObjectNode report = mapper.valueToTree(result);
    report.put("treatment", treatment);
    report.put("outcome", outcome);
    if (treatmentNote != null) {
      report.put("treatment_definition", treatmentNote);
    }
    report.set("covariates", mapper.valueToTree(built.covariates));
    if (!notes.isEmpty()) {
      report.set("input_notes", mapper.valueToTree(notes));
    }
    Reports.printSummary(result, System.out);
    for (String note : notes) {
      System.out.println("  note: " + note);
    }
    if (!resolutionFactors.isEmpty()) {
      if (rasters.isEmpty()) {
        throw new CausalInputException(
            "--resolution-factors needs --outcome-raster or --confounder-raster");
      }
      ArrayNode sensitivity = mapper.createArrayNode();
      sensitivity.add(resolutionRow(mapper, 1, result, rasters));
      System.out.println(
          "  resolution sensitivity ("
              + (poolOutcome ? "all rasters" : "confounder rasters")
              + " average-pooled by factor):");
      System.out.printf(
          "    factor %2d: %.4f [%.4f, %.4f]%n",
          1, result.estimate(), result.ciLow(), result.ciHigh());
      for (int factor : resolutionFactors) {
        if (factor < 1) {
          throw new CausalInputException("--resolution-factors must be >= 1, got " + factor);
        }
        Built pooled = build(table, calibrationTable, rasters, factor, drop, correctionKind);
        EffectResult r =
            estimator.estimate(
                request(pooled, correctionKind, estimandKind, estimatorKind, options));
        sensitivity.add(resolutionRow(mapper, factor, r, rasters));
        System.out.printf(
            "    factor %2d: %.4f [%.4f, %.4f]  n=%d%n",
            factor, r.estimate(), r.ciLow(), r.ciHigh(), r.n());
      }
      report.set("resolution_sensitivity", sensitivity);
      report.put("resolution_pooled", poolOutcome ? "all rasters" : "confounder rasters");
    }
    mapper.writeValue(out.toFile(), report);
    System.out.println("wrote " + out);
    return 0;
  }

  private ObjectNode resolutionRow(
      ObjectMapper mapper, int factor, EffectResult r, RasterInputs rasters) {
    ObjectNode row = mapper.createObjectNode();
    row.put("factor", factor);
    row.put("pixel_size_crs_units", rasters.pixelSize() * factor);
    row.put("estimate", r.estimate());
    row.put("se", r.se());
    row.put("ci_low", r.ciLow());
    row.put("ci_high", r.ciHigh());
    row.put("n", r.n());
    return row;
  }

  private record Built(
      UnitTable units, List<String> covariates, EffectRequest.Calibration calibration) {}

  private Built build(
      UnitTable table,
      UnitTable calibrationTable,
      RasterInputs rasters,
      int factor,
      boolean drop,
      EffectRequest.Correction correctionKind) {
    List<String> names = new ArrayList<>(covariates);
    UnitTable units = table;
    if (!rasters.isEmpty()) {
      double[] lat = units.numeric(latColumn, "latitude");
      double[] lon = units.numeric(lonColumn, "longitude");
      if (rasters.outcome() != null) {
        units =
            units.withNumericColumn(
                outcome,
                RasterColumns.sample(
                    rasters.outcome().pooled(poolOutcome ? factor : 1), lon, lat, drop));
      }
      for (RasterColumns.Source source : rasters.confounders()) {
        units =
            RasterColumns.addConfounders(
                units, source.pooled(factor), lon, lat, bufferM, logConfounders, drop, names);
      }
    }
    EffectRequest.Calibration cal = null;
    if (calibrationTable != null) {
      double[] prediction;
      String source = calibration.toString();
      if (!calibrationTable.hasColumn(calibrationPrediction) && rasters.outcome() != null) {
        double[] lat = calibrationTable.numeric(latColumn, "calibration latitude");
        double[] lon = calibrationTable.numeric(lonColumn, "calibration longitude");
        prediction =
            RasterColumns.sample(
                rasters.outcome().pooled(poolOutcome ? factor : 1), lon, lat, true);
        source += " (predictions sampled from " + outcomeRaster.getFileName() + ")";
      } else {
        prediction = calibrationTable.numeric(calibrationPrediction, "calibration prediction");
      }
      double[] label = calibrationTable.numeric(calibrationLabel, "calibration label");
      int[] keep =
          java.util.stream.IntStream.range(0, label.length)
              .filter(i -> !Double.isNaN(prediction[i]) || rasters.outcome() == null)
              .toArray();
      cal =
          new EffectRequest.Calibration(
              Arrays.stream(keep).mapToDouble(i -> prediction[i]).toArray(),
              Arrays.stream(keep).mapToDouble(i -> label[i]).toArray(),
              source);
      if (calibrationGroup != null) {
        double[] group = calibrationTable.numeric(calibrationGroup, "calibration group");
        cal = cal.withMembership(Arrays.stream(keep).mapToDouble(i -> group[i]).toArray());
      }
      if (calibrationStrata != null) {
        String[] strata = calibrationTable.text(calibrationStrata, "calibration strata");
        cal = cal.withStrata(Arrays.stream(keep).mapToObj(i -> strata[i]).toArray(String[]::new));
      }
    }
    return new Built(units, names, cal);
  }

  private EffectRequest request(
      Built built,
      EffectRequest.Correction correctionKind,
      EffectRequest.Estimand estimandKind,
      EffectRequest.Estimator estimatorKind,
      EffectRequest.Options options) {
    EffectRequest.Builder builder =
        EffectRequest.builder(built.units(), treatment, outcome)
            .covariates(built.covariates())
            .estimand(estimandKind)
            .estimator(estimatorKind)
            .correction(correctionKind)
            .calibration(built.calibration())
            .ppiLabel(ppiLabel)
            .cluster(cluster)
            .options(options);
    if (conleyKm != null) {
      builder.spatial(new EffectRequest.SpatialCutoff(latColumn, lonColumn, conleyKm));
    }
    return builder.build();
  }

  private static boolean parseOutside(String value) {
    if (value.equalsIgnoreCase("error")) {
      return false;
    }
    if (value.equalsIgnoreCase("drop")) {
      return true;
    }
    throw new CausalInputException("--outside-raster '" + value + "' is not one of: error, drop");
  }

  static UnitTable filter(UnitTable table, List<String> conditions, String option) {
    UnitTable out = table;
    for (String condition : conditions) {
      int eq = condition.indexOf('=');
      if (eq <= 0) {
        throw new CausalInputException(option + " '" + condition + "' is not COL=VALUE");
      }
      String column = condition.substring(0, eq);
      String value = condition.substring(eq + 1);
      String[] text = out.text(column, option);
      out = out.filterRows(i -> text[i].equals(value));
      if (out.rowCount() == 0) {
        throw new CausalInputException(option + " '" + condition + "' keeps no row");
      }
    }
    return out;
  }
}
