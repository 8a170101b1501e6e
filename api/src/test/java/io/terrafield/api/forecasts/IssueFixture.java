package io.terrafield.api.forecasts;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.when;

import io.terrafield.store.ForecastGrid;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.ForecastRecord;
import io.terrafield.store.ForecastStore;
import io.terrafield.store.Station;
import io.terrafield.store.TargetKind;
import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A synthetic stored pm25 issue as the forecast job would publish it: two Beijing stations and the
 * 0.05° grid cells over [116.0, 116.8] × [39.75, 40.4], {@code hours} lead times, every value a
 * linear function of lon, lat and lead (so interpolation is checkable).
 */
public final class IssueFixture {
  public static final Station DONGSI =
      new Station("Dongsi", "Dongsi", 116.417, 39.929, null, "beijing", Map.of());
  public static final Station HUAIROU =
      new Station("Huairou", "Huairou", 116.628, 40.328, null, "beijing", Map.of());
  public static final double CELL = 0.05;

  private IssueFixture() {}

  /** The issue row. */
  public static ForecastIssue issue(Instant issueTime, int hours) {
    return new ForecastIssue(
        Variable.PM25,
        StoredIssues.MODEL,
        issueTime,
        "cglubnf-fixture",
        issueTime.plusSeconds(30),
        2,
        cells().size(),
        CELL,
        hours);
  }

  static List<ForecastGrid.Cell> cells() {
    return new ForecastGrid(CELL).cellsIn(116.0, 39.75, 116.8, 40.4);
  }

  /** The issue's forecasts (stations and cells, every lead). */
  public static List<ForecastRecord> forecasts(Instant issueTime, int hours) {
    List<ForecastRecord> out = new ArrayList<>();
    for (Station s : List.of(DONGSI, HUAIROU)) {
      for (int h = 1; h <= hours; h++) {
        out.add(record(s.id(), TargetKind.STATION, s.lon(), s.lat(), issueTime, h));
      }
    }
    for (ForecastGrid.Cell c : cells()) {
      for (int h = 1; h <= hours; h++) {
        out.add(record(c.id(), TargetKind.CELL, c.lon(), c.lat(), issueTime, h));
      }
    }
    return out;
  }

  /** median = 50 + 200·(lon − 116) + 100·(lat − 39.8) + lead. */
  public static double median(double lon, double lat, int lead) {
    return 50 + 200 * (lon - 116) + 100 * (lat - 39.8) + lead;
  }

  static ForecastRecord record(
      String id, TargetKind kind, double lon, double lat, Instant issueTime, int lead) {
    double m = median(lon, lat, lead);
    return new ForecastRecord(
        id,
        kind,
        lon,
        lat,
        Variable.PM25,
        StoredIssues.MODEL,
        "cglubnf-fixture",
        issueTime,
        issueTime.plus(Duration.ofHours(lead - 1)),
        lead,
        new ForecastRecord.Quantiles(m - 30, m - 20, m - 10, m, m + 10, m + 20, m + 30),
        m + 1,
        75,
        m > 75 ? 0.6 : 0.2,
        null,
        null,
        lead == 1 ? 1.1 : 1.0);
  }

  /** Makes a mocked store answer this issue as the only one. */
  public static void stub(ForecastStore store, Instant issueTime, int hours) {
    ForecastIssue issue = issue(issueTime, hours);
    when(store.newestIssue(Variable.PM25, StoredIssues.MODEL)).thenReturn(Optional.of(issue));
    when(store.issue(eq(Variable.PM25), eq(StoredIssues.MODEL), any()))
        .thenReturn(Optional.empty());
    when(store.issue(Variable.PM25, StoredIssues.MODEL, issueTime)).thenReturn(Optional.of(issue));
    when(store.issues(eq(Variable.PM25), eq(StoredIssues.MODEL), anyInt()))
        .thenReturn(List.of(issue));
    when(store.issueForecasts(eq(Variable.PM25), eq(StoredIssues.MODEL), eq(issueTime), isNull()))
        .thenReturn(forecasts(issueTime, hours));
  }
}
