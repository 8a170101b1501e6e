package io.terrafield.ingest.forecast;

import io.terrafield.ingest.StoreSettings;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.TerrafieldStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each {@link PublishedIssue} to the store as it arrives: the issue with {@link
 * TerrafieldStore#putIssue} (one transaction, replaces a re-published issue) and its alert messages
 * by id. Idempotent, so replays after a restore change nothing.
 *
 * <p>Retention, so that a long run keeps a bounded store: after each issue the grid-cell forecasts
 * of issues more than {@link #CELL_RETENTION} older are deleted (the field of recent instances
 * stays drawable; station forecasts stay for verification), and at each issue of 00 UTC the issues
 * more than {@link #ISSUE_RETENTION} older are deleted whole (the served verification reads 30 days
 * of issues whose 72 h have been observed).
 */
public final class ForecastStoreSink implements Sink<PublishedIssue> {
  /** How long the grid-cell forecasts of an issue are kept, in issue time. */
  public static final Duration CELL_RETENTION = Duration.ofHours(24);

  /** How long an issue (its station forecasts and row) is kept, in issue time. */
  public static final Duration ISSUE_RETENTION = Duration.ofDays(35);

  private static final Logger LOG = LoggerFactory.getLogger(ForecastStoreSink.class);
  private final StoreSettings settings;

  public ForecastStoreSink(StoreSettings settings) {
    this.settings = settings;
  }

  @Override
  public SinkWriter<PublishedIssue> createWriter(WriterInitContext context) {
    TerrafieldStore store = settings.open();
    return new SinkWriter<>() {
      @Override
      public void write(PublishedIssue issue, Context context) {
        long started = System.nanoTime();
        ForecastIssue row = issue.issue();
        store.putIssue(row, issue.forecasts());
        if (!issue.alerts().isEmpty()) {
          store.upsertAlerts(issue.alerts());
        }
        Instant issueTime = row.issueTime();
        store.deleteCellForecastsBefore(
            row.variable(), row.model(), issueTime.minus(CELL_RETENTION));
        if (issueTime.atOffset(ZoneOffset.UTC).getHour() == 0) {
          store.deleteIssuesBefore(issueTime.minus(ISSUE_RETENTION));
        }
        LOG.info(
            "Stored the {} issue at {}: {} forecasts, {} alerts in {} ms",
            issue.issue().variable().key(),
            issue.issue().issueTime(),
            issue.forecasts().size(),
            issue.alerts().size(),
            (System.nanoTime() - started) / 1_000_000);
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {
        store.close();
      }
    };
  }
}
