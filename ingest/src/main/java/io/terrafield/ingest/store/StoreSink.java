package io.terrafield.ingest.store;

import io.terrafield.ingest.StoreSettings;
import io.terrafield.store.Observation;
import io.terrafield.store.SatelliteFeature;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes records into the store in batches through idempotent upserts, so the sink is at-least-once
 * and a replay after a restart changes nothing. A batch is written when it is full, when it is
 * {@code maxDelayMs} old (a processing-time timer, so the last records of a burst do not wait for
 * the next record or checkpoint), on every checkpoint and at the end of input; writes run on a
 * background thread of the writer (see {@code Writer}). Each parallel writer opens its own
 * connection pool.
 */
public final class StoreSink<T> implements Sink<T> {

  /** Writes one batch; must be an idempotent upsert. */
  @FunctionalInterface
  public interface BatchWriter<T> extends Serializable {
    void write(TerrafieldStore store, List<T> batch);
  }

  /** The lane of a record: records of one lane are written in order, lanes in parallel. */
  @FunctionalInterface
  public interface Lane<T> extends Serializable {
    int of(T record, int lanes);
  }

  private final StoreSettings settings;
  private final List<Station> stations;
  private final BatchWriter<T> writer;
  private final int batchSize;
  private final long maxDelayMs;
  private final int lanes;
  private final Lane<T> lane;

  /** A sink that writes each batch on one background thread. */
  public StoreSink(
      StoreSettings settings,
      List<Station> stations,
      BatchWriter<T> writer,
      int batchSize,
      long maxDelayMs) {
    this(settings, stations, writer, batchSize, maxDelayMs, 1, (record, n) -> 0);
  }

  /**
   * @param stations stations to upsert when a writer opens (observations need their station)
   * @param lanes how many background threads write parts of each batch at once
   * @param lane which part a record belongs to; records that must not be written concurrently (e.g.
   *     of one station, whose writes lock its row) must share a lane
   */
  public StoreSink(
      StoreSettings settings,
      List<Station> stations,
      BatchWriter<T> writer,
      int batchSize,
      long maxDelayMs,
      int lanes,
      Lane<T> lane) {
    this.settings = settings;
    this.stations = List.copyOf(stations);
    this.writer = writer;
    this.batchSize = batchSize;
    this.maxDelayMs = maxDelayMs;
    this.lanes = lanes;
    this.lane = lane;
  }

  /**
   * Upserts hourly observations (after upserting {@code stations}) in batches of up to 5000, each
   * written at the latest 200 ms after its first record, in two lanes by station (the store locks a
   * station's row while writing its observations, so lanes of disjoint stations do not wait for
   * each other). Batches age in Flink's processing time, which tests control through the operator
   * harness; {@code clock} is not used.
   */
  public static StoreSink<Observation> observations(
      StoreSettings settings, List<Station> stations, Clock clock) {
    return new StoreSink<>(
        settings,
        stations,
        (store, batch) -> store.upsertObservations(batch),
        5000,
        200,
        2,
        (o, n) -> Math.floorMod(o.stationId().hashCode(), n));
  }

  /** Upserts satellite features ({@code clock} is not used, see {@link #observations}). */
  public static StoreSink<SatelliteFeature> satelliteFeatures(StoreSettings settings, Clock clock) {
    return new StoreSink<>(
        settings, List.of(), (store, batch) -> store.upsertSatelliteFeatures(batch), 1000, 1000);
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    TerrafieldStore store = settings.open();
    if (!stations.isEmpty()) {
      store.upsertStations(stations);
    }
    return new Writer(
        store,
        context.getProcessingTimeService(),
        "store-sink-" + context.getTaskInfo().getIndexOfThisSubtask());
  }

  /**
   * Collects a batch on the task thread and writes it on background threads (one per lane), so the
   * job keeps aggregating while the database works; at most one batch is in flight. A checkpoint
   * (and the end of input) hands over the open batch and waits until everything is written, so a
   * completed checkpoint implies the store holds every record before it. A failed write fails the
   * task at the next hand-over or flush.
   */
  private final class Writer implements SinkWriter<T> {
    private final TerrafieldStore store;
    private final ProcessingTimeService timers;
    private final ExecutorService io;
    private List<T> batch = new ArrayList<>();
    private final List<Future<?>> inFlight = new ArrayList<>();

    /** Counts batches, so that a timer set for a batch already handed over does nothing. */
    private long batchNumber;

    Writer(TerrafieldStore store, ProcessingTimeService timers, String name) {
      this.store = store;
      this.timers = timers;
      this.io =
          Executors.newFixedThreadPool(
              lanes,
              r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
              });
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
      if (batch.isEmpty()) {
        long number = batchNumber;
        timers.registerTimer(
            timers.getCurrentProcessingTime() + maxDelayMs,
            time -> {
              if (batchNumber == number) {
                handOver();
              }
            });
      }
      batch.add(element);
      if (batch.size() >= batchSize) {
        handOver();
      }
    }

    /** Starts writing the open batch once the previous one is written. */
    private void handOver() throws IOException, InterruptedException {
      if (batch.isEmpty()) {
        return;
      }
      awaitInFlight();
      List<T> full = batch;
      batch = new ArrayList<>(Math.min(batchSize, 2 * full.size()));
      batchNumber++;
      if (lanes == 1) {
        inFlight.add(io.submit(() -> writer.write(store, full)));
        return;
      }
      List<List<T>> parts = new ArrayList<>();
      for (int i = 0; i < lanes; i++) {
        parts.add(new ArrayList<>(full.size() / lanes + 1));
      }
      for (T record : full) {
        parts.get(lane.of(record, lanes)).add(record);
      }
      for (List<T> part : parts) {
        if (!part.isEmpty()) {
          inFlight.add(io.submit(() -> writer.write(store, part)));
        }
      }
    }

    private void awaitInFlight() throws IOException, InterruptedException {
      try {
        for (Future<?> f : inFlight) {
          f.get();
        }
      } catch (ExecutionException e) {
        throw new IOException("store sink: a batch could not be written: " + e.getCause(), e);
      } finally {
        inFlight.clear();
      }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
      handOver();
      awaitInFlight();
    }

    @Override
    public void close() throws Exception {
      try {
        flush(true);
      } finally {
        io.shutdownNow();
        store.close();
      }
    }
  }
}
