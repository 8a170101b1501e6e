package io.terrafield.ingest.store;

import io.terrafield.ingest.StoreSettings;
import io.terrafield.store.Observation;
import io.terrafield.store.ObservationStore;
import io.terrafield.store.Station;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Upserts hourly observations into the store. Writes are idempotent upserts keyed on (station,
 * hour), so the sink is at-least-once and replays after a restart change nothing. The writer
 * batches up to {@code batchSize} records and flushes when the batch is full, when it is older than
 * {@code maxDelayMs} at the next write, and on every checkpoint and at the end of input.
 */
public final class ObservationStoreSink implements Sink<Observation> {

  private final StoreSettings settings;
  private final List<Station> stations;
  private final int batchSize;
  private final long maxDelayMs;
  private final Clock clock;

  public ObservationStoreSink(
      StoreSettings settings, List<Station> stations, int batchSize, long maxDelayMs, Clock clock) {
    this.settings = settings;
    this.stations = List.copyOf(stations);
    this.batchSize = batchSize;
    this.maxDelayMs = maxDelayMs;
    this.clock = clock;
  }

  @Override
  public SinkWriter<Observation> createWriter(WriterInitContext context) {
    ObservationStore store = settings.open();
    store.upsertStations(stations);
    return new Writer(store);
  }

  private final class Writer implements SinkWriter<Observation> {
    private final ObservationStore store;
    private final List<Observation> batch = new ArrayList<>();
    private long batchStartedAt;

    Writer(ObservationStore store) {
      this.store = store;
    }

    @Override
    public void write(Observation element, Context context) {
      if (batch.isEmpty()) {
        batchStartedAt = clock.millis();
      }
      batch.add(element);
      if (batch.size() >= batchSize || clock.millis() - batchStartedAt >= maxDelayMs) {
        flush(false);
      }
    }

    @Override
    public void flush(boolean endOfInput) {
      if (!batch.isEmpty()) {
        store.upsertObservations(batch);
        batch.clear();
      }
    }

    @Override
    public void close() {
      flush(true);
      store.close();
    }
  }
}
