package io.terrafield.ingest.forecast;

import io.terrafield.forecasting.categories.AirQualityCategories;
import io.terrafield.forecasting.categories.CategoryScheme;
import io.terrafield.forecasting.categories.CategoryTable;
import io.terrafield.forecasting.serving.IssuedForecast;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.ForecastRecord;
import io.terrafield.store.TargetKind;
import io.terrafield.store.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the forecasting module's {@link IssuedForecast} into the store's rows: one {@link
 * ForecastRecord} per target and lead, each with the category of its median under one scheme, and
 * the {@link ForecastIssue} row that publishes them. Stateless and thread-safe.
 */
public final class ForecastRecords {

  private ForecastRecords() {}

  /**
   * The records of one issue's targets.
   *
   * @param kind whether the issue's targets are stations or grid cells
   * @param scheme the category scheme; a variable without a table in it gets no category
   */
  public static List<ForecastRecord> of(
      Variable variable,
      String model,
      IssuedForecast issue,
      TargetKind kind,
      CategoryScheme scheme) {
    Optional<CategoryTable> table = AirQualityCategories.table(scheme, variable.key());
    List<ForecastRecord> out = new ArrayList<>();
    for (IssuedForecast.Target t : issue.targets()) {
      for (IssuedForecast.Lead lead : t.leads()) {
        IssuedForecast.Quantiles q = lead.quantiles();
        out.add(
            new ForecastRecord(
                t.id(),
                kind,
                t.lon(),
                t.lat(),
                variable,
                model,
                issue.modelVersion(),
                issue.issueTime(),
                lead.validTime(),
                lead.leadHours(),
                new ForecastRecord.Quantiles(
                    q.q025(), q.q05(), q.q25(), q.q50(), q.q75(), q.q95(), q.q975()),
                lead.mean(),
                issue.threshold(),
                lead.exceedanceProbability(),
                table.map(c -> scheme.id()).orElse(null),
                table.map(c -> c.classify(q.q50()).label()).orElse(null),
                lead.intervalFactor()));
      }
    }
    return out;
  }

  /** The issue row of a station issue and its cells (either may be null). */
  public static ForecastIssue issue(
      Variable variable,
      String model,
      IssuedForecast stations,
      IssuedForecast cells,
      double cellSizeDeg) {
    IssuedForecast any = stations != null ? stations : cells;
    int horizon = 0;
    for (IssuedForecast f : new IssuedForecast[] {stations, cells}) {
      if (f != null) {
        for (IssuedForecast.Target t : f.targets()) {
          horizon = Math.max(horizon, t.leads().size());
        }
      }
    }
    int cellCount = cells == null ? 0 : cells.targets().size();
    return new ForecastIssue(
        variable,
        model,
        any.issueTime(),
        any.modelVersion(),
        any.issuedAt(),
        stations == null ? 0 : stations.targets().size(),
        cellCount,
        cellCount == 0 ? 0 : cellSizeDeg,
        horizon);
  }
}
