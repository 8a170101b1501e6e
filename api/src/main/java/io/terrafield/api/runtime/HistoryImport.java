package io.terrafield.api.runtime;

import io.terrafield.api.runtime.HistoryStatus.Phase;
import io.terrafield.store.Observation;
import io.terrafield.store.ObservationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up bulk import of the history before the replay start: the observations of {@code
 * [from, to)} of the data are upserted into the store in time order, {@code batchSize} readings per
 * transaction, with progress in the log (every 10 %) and in {@link #status()}.
 *
 * <p>A restart on a persistent store does not import again: first the readings of each station in
 * the data and in the store are counted over {@code [from, to)}; stations whose readings the store
 * already holds are left out, and when that is all of them nothing is written ({@link
 * Phase#SKIPPED}). Counting is much cheaper than upserting again (a COUNT per station against the
 * 10-40 s of upserting a year of 12 stations on H2GIS), and the upserts are idempotent anyway, so
 * an import cut short is simply completed on the next start.
 *
 * <p>{@link #run} is called once, on one thread; {@link #status()} may be read from any thread.
 */
final class HistoryImport {

  private static final Logger LOG = LoggerFactory.getLogger(HistoryImport.class);

  private final ObservationStore store;
  private final DemoData data;
  private final Clock clock;
  private final int batchSize;
  private final ZoneOffset zone;
  private volatile HistoryStatus status = HistoryStatus.pending();

  HistoryImport(
      ObservationStore store, DemoData data, Clock clock, int batchSize, ZoneOffset zone) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize: must be >= 1, was " + batchSize);
    }
    this.store = store;
    this.data = data;
    this.clock = clock;
    this.batchSize = batchSize;
    this.zone = zone;
  }

  HistoryStatus status() {
    return status;
  }

  /**
   * Brings the readings of {@code [from, to)} into the store (their stations must be stored) and
   * returns the final status, {@link Phase#DONE} or {@link Phase#SKIPPED}.
   *
   * @throws IllegalStateException if the thread is interrupted between two batches (status {@link
   *     Phase#FAILED})
   * @throws RuntimeException from the data or the store (status {@link Phase#FAILED})
   */
  HistoryStatus run(Instant from, Instant to) {
    Instant started = clock.instant();
    String window = local(from) + " to " + local(to);
    try {
      status = new HistoryStatus(Phase.CHECKING, from, to, 0, 0, "counting readings, " + window);
      Map<String, Long> inData = countInData(from, to);
      Map<String, Long> inStore = countInStore(inData.keySet(), from, to);
      Set<String> missing = new TreeSet<>();
      long total = 0;
      long held = 0;
      for (Map.Entry<String, Long> e : inData.entrySet()) {
        if (inStore.getOrDefault(e.getKey(), 0L) >= e.getValue()) {
          held += e.getValue();
        } else {
          missing.add(e.getKey());
          total += e.getValue();
        }
      }
      if (missing.isEmpty()) {
        String detail =
            String.format(
                Locale.ROOT,
                "the store already holds the %d readings of %s (%d stations): not imported again"
                    + " (checked in %.1f s)",
                held,
                window,
                inData.size(),
                seconds(started));
        LOG.info("History: {}", detail);
        status = new HistoryStatus(Phase.SKIPPED, from, to, 0, 0, detail);
        return status;
      }
      if (held > 0) {
        LOG.info(
            "History: the store already holds {} readings of {} of the {} stations; importing {}",
            held,
            inData.size() - missing.size(),
            inData.size(),
            missing);
      }
      return importMissing(from, to, missing, total, started);
    } catch (RuntimeException e) {
      status =
          new HistoryStatus(
              Phase.FAILED,
              from,
              to,
              status.done(),
              status.total(),
              "history import of " + window + " failed: " + e.getMessage());
      throw e;
    }
  }

  private HistoryStatus importMissing(
      Instant from, Instant to, Set<String> stations, long total, Instant started) {
    status = new HistoryStatus(Phase.IMPORTING, from, to, 0, total, "importing");
    LOG.info(
        "Importing {} readings of history ({} to {}, {} stations) into the store",
        total,
        local(from),
        local(to),
        stations.size());
    long done = 0;
    long hours = 0;
    int decile = 0;
    Instant hour = null;
    List<Observation> batch = new ArrayList<>(batchSize);
    try (Stream<Observation> rows = data.observations(from, to)) {
      for (Observation o : (Iterable<Observation>) rows::iterator) {
        if (!stations.contains(o.stationId())) {
          continue;
        }
        if (!o.time().equals(hour)) {
          hour = o.time();
          hours++;
        }
        batch.add(o);
        if (batch.size() == batchSize) {
          done += write(batch);
          decile = progress(from, to, done, total, hour, decile);
        }
      }
    }
    done += write(batch);
    progress(from, to, done, total, hour, decile);
    double seconds = seconds(started);
    String detail =
        String.format(
            Locale.ROOT,
            "Imported %d readings of %d hours of history (from %s to %s) in %.1f s",
            done,
            hours,
            local(from),
            local(to),
            seconds);
    LOG.info(detail);
    status = new HistoryStatus(Phase.DONE, from, to, done, total, detail);
    return status;
  }

  private int write(List<Observation> batch) {
    if (Thread.currentThread().isInterrupted()) {
      throw new IllegalStateException("stopped before the import finished");
    }
    int n = batch.isEmpty() ? 0 : store.upsertObservations(batch);
    batch.clear();
    return n;
  }

  /** Updates the status; logs each new tenth reached. Returns the tenths logged so far. */
  private int progress(Instant from, Instant to, long done, long total, Instant hour, int logged) {
    String upTo = hour == null ? "" : "up to " + local(hour);
    status = new HistoryStatus(Phase.IMPORTING, from, to, done, total, "importing, " + upTo);
    int tenths = total == 0 ? 10 : (int) (10 * done / total);
    if (tenths > logged && tenths < 10) {
      LOG.info("History import: {} % ({} of {} readings, {})", tenths * 10, done, total, upTo);
      return tenths;
    }
    return logged;
  }

  private Map<String, Long> countInData(Instant from, Instant to) {
    Map<String, Long> counts = new TreeMap<>();
    try (Stream<Observation> rows = data.observations(from, to)) {
      rows.forEach(o -> counts.merge(o.stationId(), 1L, Long::sum));
    }
    return counts;
  }

  /** Per station, the stored readings in {@code [from, to)}; none at all on an empty store. */
  private Map<String, Long> countInStore(Set<String> stations, Instant from, Instant to) {
    Map<String, Long> counts = new TreeMap<>();
    if (store.countObservations() == 0) {
      return counts;
    }
    for (String station : stations) {
      counts.put(station, store.countObservations(station, from, to));
    }
    return counts;
  }

  private double seconds(Instant started) {
    return Duration.between(started, clock.instant()).toMillis() / 1000.0;
  }

  private String local(Instant t) {
    return ReplayWindow.local(t, zone);
  }
}
