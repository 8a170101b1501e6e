package io.terrafield.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The forecast-issue and alert-episode contract (issue #11) every {@link TerrafieldStore} must
 * pass, on top of {@link AbstractStoreContractTest}; one subclass per database.
 */
public abstract class AbstractForecastStoreContractTest extends AbstractStoreContractTest {

  private static final ForecastGrid GRID = new ForecastGrid(0.05);

  private static Instant at(int h) {
    return T0.plus(Duration.ofHours(h));
  }

  private static ForecastIssue issueRow(Instant issueTime, int stations, int cells) {
    return new ForecastIssue(
        Variable.PM25,
        "persistence",
        issueTime,
        "persistence-v1",
        issueTime.plusSeconds(30),
        stations,
        cells,
        cells == 0 ? 0 : 0.05,
        3);
  }

  /** Stations A and B, then {@code cells} cells east of 116°E, each with leads 1..3. */
  private static List<ForecastRecord> issueForecasts(Instant issueTime, int cells, double base) {
    List<ForecastRecord> out = new ArrayList<>();
    for (int h = 1; h <= 3; h++) {
      out.add(forecast("A", 116.397, 39.982, issueTime, h, base + h));
      out.add(forecast("B", 116.2, 40.1, issueTime, h, base + 10 + h));
      for (int c = 0; c < cells; c++) {
        ForecastGrid.Cell cell = GRID.cellAt(116.0 + 0.05 * c, 40.0);
        out.add(
            forecast(
                cell.id(), TargetKind.CELL, cell.lon(), cell.lat(), issueTime, h, base + 20 + c));
      }
    }
    return out;
  }

  @Test
  void anIssueIsPublishedWholeAndTheNewestIssueIsTheLargestIssueTime() {
    assertThat(store.newestIssue(Variable.PM25, "persistence")).isEmpty();
    List<ForecastRecord> first = issueForecasts(at(0), 4, 10);
    List<ForecastRecord> second = issueForecasts(at(1), 4, 30);
    assertThat(store.putIssue(issueRow(at(1), 2, 4), second)).isEqualTo(18);
    assertThat(store.putIssue(issueRow(at(0), 2, 4), first)).isEqualTo(18);

    assertThat(store.newestIssue(Variable.PM25, "persistence")).contains(issueRow(at(1), 2, 4));
    assertThat(store.newestIssue(Variable.PM10, "persistence")).isEmpty();
    assertThat(store.issues(Variable.PM25, "persistence", 10))
        .extracting(ForecastIssue::issueTime)
        .containsExactly(at(1), at(0));
    assertThat(store.issue(Variable.PM25, "persistence", at(0))).contains(issueRow(at(0), 2, 4));
    assertThat(store.issueForecasts(Variable.PM25, "persistence", at(1), null))
        .containsExactlyInAnyOrderElementsOf(second)
        .isSortedAccordingTo(
            java.util.Comparator.comparing(ForecastRecord::targetId)
                .thenComparing(ForecastRecord::validTime));
    assertThat(store.issueForecasts(Variable.PM25, "persistence", at(1), TargetKind.STATION))
        .extracting(ForecastRecord::targetId)
        .containsExactly("A", "A", "A", "B", "B", "B");
    assertThat(store.latestForecasts("A", Variable.PM25, "persistence"))
        .extracting(ForecastRecord::issueTime)
        .containsOnly(at(1));
  }

  @Test
  void republishingAnIssueReplacesItsForecastsIdempotently() {
    store.putIssue(issueRow(at(0), 2, 4), issueForecasts(at(0), 4, 10));
    List<ForecastRecord> smaller = issueForecasts(at(0), 1, 50);
    store.putIssue(issueRow(at(0), 2, 1), smaller);
    store.putIssue(issueRow(at(0), 2, 1), smaller);

    assertThat(store.issueForecasts(Variable.PM25, "persistence", at(0), null))
        .containsExactlyInAnyOrderElementsOf(smaller);
    assertThat(store.issues(Variable.PM25, "persistence", 10))
        .containsExactly(issueRow(at(0), 2, 1));
  }

  @Test
  void aRecordOfAnotherIssueOrARepeatedKeyIsRefusedAndNothingIsWritten() {
    List<ForecastRecord> mixed = new ArrayList<>(issueForecasts(at(0), 0, 10));
    mixed.add(forecast("C", 116.3, 40.0, at(1), 1, 5));
    assertThatThrownBy(() -> store.putIssue(issueRow(at(0), 3, 0), mixed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("forecast for C")
        .hasMessageContaining("does not belong to the issue");
    List<ForecastRecord> repeated = new ArrayList<>(issueForecasts(at(0), 0, 10));
    repeated.add(forecast("A", 116.397, 39.982, at(0), 1, 99));
    assertThatThrownBy(() -> store.putIssue(issueRow(at(0), 2, 0), repeated))
        .hasMessageContaining("forecast for A at " + at(0) + " repeats a key");
    assertThat(store.newestIssue(Variable.PM25, "persistence")).isEmpty();
  }

  @Test
  void oneIssuesTargetsInABoxAndValidWindow() {
    store.putIssue(issueRow(at(0), 2, 6), issueForecasts(at(0), 6, 10));
    store.putIssue(issueRow(at(1), 2, 6), issueForecasts(at(1), 6, 30));

    List<ForecastRecord> cells =
        store.issueForecastsInBox(
            Variable.PM25,
            "persistence",
            at(0),
            TargetKind.CELL,
            at(1),
            at(3),
            116.0,
            39.9,
            116.15,
            40.1);
    assertThat(cells).extracting(ForecastRecord::issueTime).containsOnly(at(0));
    assertThat(cells).extracting(ForecastRecord::targetKind).containsOnly(TargetKind.CELL);
    assertThat(cells).extracting(ForecastRecord::validTime).containsOnly(at(1), at(2));
    assertThat(cells.stream().map(ForecastRecord::targetId).distinct().toList())
        .containsExactly(
            GRID.cellId(116.025, 40.0), GRID.cellId(116.075, 40.0), GRID.cellId(116.125, 40.0));
    assertThat(
            store.issueForecastsInBox(
                Variable.PM25, "persistence", at(0), null, at(0), at(9), 116.3, 39.9, 116.5, 40))
        .extracting(ForecastRecord::targetId)
        .containsOnly("A");
    assertThatThrownBy(
            () ->
                store.issueForecastsInBox(
                    Variable.PM25, "persistence", at(0), null, at(0), at(9), 117, 39, 116, 40))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("box minimum");
  }

  @Test
  void oldIssuesAreDeletedButTheNewestIsKept() {
    store.putIssue(issueRow(at(0), 2, 1), issueForecasts(at(0), 1, 10));
    store.putIssue(issueRow(at(1), 2, 1), issueForecasts(at(1), 1, 10));

    assertThat(store.deleteIssuesBefore(at(1))).isEqualTo(9);
    assertThat(store.deleteIssuesBefore(at(5))).isZero();
    assertThat(store.issues(Variable.PM25, "persistence", 10))
        .extracting(ForecastIssue::issueTime)
        .containsExactly(at(1));
    assertThat(store.issueForecasts(Variable.PM25, "persistence", at(0), null)).isEmpty();
  }

  @Test
  void oldIssuesLoseTheirCellsButKeepTheirStations() {
    store.putIssue(issueRow(at(0), 2, 4), issueForecasts(at(0), 4, 10));
    store.putIssue(issueRow(at(1), 2, 4), issueForecasts(at(1), 4, 30));

    assertThat(store.deleteCellForecastsBefore(Variable.PM10, "persistence", at(1))).isZero();
    assertThat(store.deleteCellForecastsBefore(Variable.PM25, "persistence", at(1))).isEqualTo(12);
    assertThat(store.issueForecasts(Variable.PM25, "persistence", at(0), null))
        .hasSize(6)
        .extracting(ForecastRecord::targetKind)
        .containsOnly(TargetKind.STATION);
    assertThat(store.issueForecasts(Variable.PM25, "persistence", at(1), null)).hasSize(18);
    assertThat(store.issues(Variable.PM25, "persistence", 10)).hasSize(2);
  }

  @Test
  void alertEpisodesKeepTheirMessagesAndOpenEpisodesExcludeCleared() {
    Alert raised = alert("e1-1", "e1", AlertState.RAISED, "A", 1, 0.8);
    Alert updated = alert("e1-2", "e1", AlertState.UPDATED, "A", 2, 0.9);
    Alert cleared = alert("e1-3", "e1", AlertState.CLEARED, "A", 3, 0.1);
    Alert other = alert("e2-1", "e2", AlertState.RAISED, "B", 2, 0.7);
    Alert otherUpdated = alert("e2-2", "e2", AlertState.UPDATED, "B", 3, 0.75);
    store.upsertAlerts(List.of(updated, raised, other));
    assertThat(store.openEpisodes()).containsExactly(updated, other);

    store.upsertAlerts(List.of(cleared, otherUpdated, otherUpdated));
    assertThat(store.episode("e1")).containsExactly(raised, updated, cleared);
    assertThat(store.episode("none")).isEmpty();
    assertThat(store.openEpisodes()).containsExactly(otherUpdated);
    assertThat(store.alert("e1-2")).contains(updated);
  }

  private static Alert alert(
      String id, String episode, AlertState state, String target, int issueHour, double p) {
    return new Alert(
        id,
        episode,
        state,
        target,
        Variable.PM25,
        at(issueHour + 5),
        75,
        p,
        at(issueHour),
        "us-epa-aqi",
        "Unhealthy",
        "{\"id\":\"" + id + "\"}");
  }
}
