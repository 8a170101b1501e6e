package io.terrafield.ingest.forecast;

import io.terrafield.ingest.StoreSettings;
import io.terrafield.store.TerrafieldStore;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each {@link PublishedIssue} to the store as it arrives: the issue with {@link
 * TerrafieldStore#putIssue} (one transaction, replaces a re-published issue) and its alert messages
 * by id. Idempotent, so replays after a restore change nothing.
 */
public final class ForecastStoreSink implements Sink<PublishedIssue> {
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
        store.putIssue(issue.issue(), issue.forecasts());
        if (!issue.alerts().isEmpty()) {
          store.upsertAlerts(issue.alerts());
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
