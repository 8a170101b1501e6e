package io.terrafield.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Stored forecasts, keyed on (target id, variable, model, issue time, valid time), and the issues
 * they belong to, keyed on (variable, model, issue time). Thread-safe.
 *
 * <h2>How an issue is published and how a reader gets "the newest issue"</h2>
 *
 * <p>The forecast job publishes an issue with {@link #putIssue}: one database transaction deletes
 * every forecast of that (variable, model, issue time), inserts the issue's forecasts (all its
 * stations and grid cells, all lead times) and upserts its {@link ForecastIssue} row. So an issue
 * is visible either completely or not at all, and publishing it again (a replayed or restored job)
 * gives the same rows: idempotent by key.
 *
 * <p>A reader gets the newest issue like this:
 *
 * <ol>
 *   <li>{@link #newestIssue}{@code (variable, model)}: the {@link ForecastIssue} with the largest
 *       issue time among the published issues of that variable and model (empty: nothing is
 *       published yet);
 *   <li>then reads that issue's forecasts by its issue time: {@link #issueForecasts} (all targets)
 *       or {@link #issueForecastsInBox} (the targets in a box, e.g. the cells of a cube or area
 *       query).
 * </ol>
 *
 * <p>Both steps are consistent without a reader transaction: an issue's rows are never partly
 * visible, and a newer issue published between the two calls does not change or remove the older
 * one's rows (only {@link #deleteIssuesBefore} removes issues, and the job keeps the last days).
 * Issue times only grow in normal operation; a job that restarts from a savepoint may re-publish an
 * issue time it published before, with the same content. Two readers that call {@link #newestIssue}
 * after the same commit see the same issue. {@link #issues} lists the published issues newest first
 * (EDR {@code /instances}, one per issue).
 *
 * <p>{@link #upsertForecasts} writes single records by key without an issue row (for baselines and
 * tests); such records are seen by {@link #latestForecasts} and {@link #forecastsInBox} but do not
 * make an issue.
 */
public interface ForecastStore {

  /**
   * Publishes one issue atomically: replaces every forecast of ({@code issue.variable()}, {@code
   * issue.model()}, {@code issue.issueTime()}) by {@code forecasts} and upserts the issue row.
   *
   * @param forecasts the issue's forecasts; each must have the issue's variable, model and issue
   *     time, and (target, valid time) must be unique
   * @return the number of forecasts written
   * @throws IllegalArgumentException naming the first forecast that does not belong to the issue or
   *     repeats a key
   * @throws StoreException when the database refuses the write
   */
  int putIssue(ForecastIssue issue, Collection<ForecastRecord> forecasts);

  /** Inserts or replaces forecasts by key (the last of equal keys wins); returns the count. */
  int upsertForecasts(Collection<ForecastRecord> forecasts);

  /** The published issue with the largest issue time for this variable and model, if any. */
  Optional<ForecastIssue> newestIssue(Variable variable, String model);

  /** The published issue of this issue time, if any. */
  Optional<ForecastIssue> issue(Variable variable, String model, Instant issueTime);

  /**
   * Published issues of this variable and model, newest first, at most {@code limit}.
   *
   * @throws IllegalArgumentException if {@code limit < 0}
   */
  List<ForecastIssue> issues(Variable variable, String model, int limit);

  /**
   * Every forecast of one issue, ordered by target id then valid time.
   *
   * @param kind only targets of this kind, or null for stations and cells
   */
  List<ForecastRecord> issueForecasts(
      Variable variable, String model, Instant issueTime, TargetKind kind);

  /**
   * The forecasts of one issue whose target lies in the box (degrees, inclusive) and whose valid
   * time is in {@code [validFrom, validTo)}, ordered by target id then valid time. Uses the spatial
   * index.
   *
   * @param kind only targets of this kind, or null for stations and cells
   * @throws IllegalArgumentException naming the box when it is inverted or out of range
   */
  List<ForecastRecord> issueForecastsInBox(
      Variable variable,
      String model,
      Instant issueTime,
      TargetKind kind,
      Instant validFrom,
      Instant validTo,
      double minLon,
      double minLat,
      double maxLon,
      double maxLat);

  /**
   * The forecasts of the newest issue time that has forecasts for this target, variable and model,
   * ordered by valid time; empty when there is none.
   */
  List<ForecastRecord> latestForecasts(String targetId, Variable variable, String model);

  /**
   * All targets' forecasts of one variable and model for one valid time, from the newest issue time
   * of each target, whose position lies in the box (degrees, inclusive), ordered by target id. Uses
   * the spatial index.
   */
  List<ForecastRecord> forecastsInBox(
      Variable variable,
      String model,
      Instant validTime,
      double minLon,
      double minLat,
      double maxLon,
      double maxLat);

  /**
   * Deletes the issues (rows and forecasts) with issue time before {@code cutoff}, of every
   * variable and model, keeping at least the newest issue of each; returns the number of forecasts
   * deleted.
   */
  int deleteIssuesBefore(Instant cutoff);

  /**
   * Deletes the grid-cell forecasts ({@link TargetKind#CELL}) of the issues of {@code variable} and
   * {@code model} with issue time before {@code cutoff}, keeping their station forecasts and issue
   * rows (verification reads those); returns the number of forecasts deleted. Cells are about 50
   * times as many rows as stations, and only recent issues are drawn as a field.
   */
  int deleteCellForecastsBefore(Variable variable, String model, Instant cutoff);
}
