package io.terrafield.api.runtime;

import io.terrafield.ingest.replay.Replay;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo replay's back-pressure from the forecast job, on data time: a reading of data hour H is
 * sent only once the newest stored issue time is at least H + 1 h − {@code maxLag}, so that once
 * hour H is stored the issue lag (newest hour + 1 h − issue time) is at most {@code maxLag}
 * whatever the machine's speed. With the job's quiet issue (an hour is issued as soon as its
 * records are in) {@code maxLag} = 1 h holds: the replay sends hour H once the issue of hour H − 1
 * (issue time H) is stored. Before the job's first issue the replay sends the hours before its
 * first reading's hour + {@code maxLag} + 1 h: the job issues the first hour once the next one is
 * in, and the lag is then within {@code maxLag} too (before that the replay is held for the first
 * model, see {@code hold-replay}). A job that issues nothing new for {@link #GIVE_UP} of wall time
 * while the replay waits switches the pacing off (logged), so a stopped job cannot stop the replay.
 * The store is asked at most every {@link #EVERY}.
 */
final class ForecastPacer implements Replay.Pacer {
  private static final Logger LOG = LoggerFactory.getLogger(ForecastPacer.class);
  static final Duration EVERY = Duration.ofMillis(100);
  static final Duration GIVE_UP = Duration.ofMinutes(5);

  private final TerrafieldStore store;
  private final Variable variable;
  private final String model;
  private final Duration maxLag;
  private long checkedAt;
  private boolean checked;
  private Optional<Instant> issueTime = Optional.empty();
  private long behindSince = -1;
  private boolean off;
  private Instant first;
  private long waits;

  /**
   * @param maxLag the largest issue lag the replay may cause, at least 1 h
   */
  ForecastPacer(TerrafieldStore store, Variable variable, String model, Duration maxLag) {
    if (maxLag.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException("maxLag: must be at least 1 h, was " + maxLag);
    }
    this.store = store;
    this.variable = variable;
    this.model = model;
    this.maxLag = maxLag;
  }

  @Override
  public boolean behind(Instant next) {
    if (off) {
      return false;
    }
    if (first == null) {
      first = next;
    }
    Instant hour = next.truncatedTo(ChronoUnit.HOURS);
    long now = System.nanoTime();
    if (!checked || (!allowed(hour) && now - checkedAt >= EVERY.toNanos())) {
      checked = true;
      checkedAt = now;
      issueTime = store.newestIssue(variable, model).map(ForecastIssue::issueTime);
    }
    if (allowed(hour)) {
      behindSince = -1;
      return false;
    }
    if (behindSince < 0) {
      behindSince = now;
      waits++;
      if (waits == 1 || waits % 500 == 0) {
        LOG.info(
            "The replay waits for the forecast job before {}: newest {} issue {} (wait #{};"
                + " it sends data hour H once the issue time is at least H + 1 h − {})",
            hour,
            variable.key(),
            issueTime.map(Instant::toString).orElse("none yet"),
            waits,
            maxLag);
      }
    } else if (now - behindSince > GIVE_UP.toNanos()) {
      off = true;
      LOG.warn(
          "The forecast job has issued nothing new for {} while the replay waited before {}"
              + " (newest issue {}): the replay no longer waits for it",
          GIVE_UP,
          hour,
          issueTime.map(Instant::toString).orElse("none"));
      return false;
    }
    return true;
  }

  /** Whether a reading of data hour {@code hour} may be sent with the newest issue known. */
  boolean allowed(Instant hour) {
    if (issueTime.isEmpty()) {
      return hour.isBefore(
          first.truncatedTo(ChronoUnit.HOURS).plus(maxLag).plus(Duration.ofHours(1)));
    }
    return !issueTime.get().isBefore(hour.plus(Duration.ofHours(1)).minus(maxLag));
  }
}
