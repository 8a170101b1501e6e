package io.terrafield.api.runtime;

import io.terrafield.ingest.replay.Replay;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.LatestValue;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo replay's back-pressure from the forecast job: the replay waits while the newest stored
 * issue is more than {@link #MAX_LAG} data time behind the newest stored hourly record (the issue
 * of hour H has issue time H + 1 h, so the lag is newest hour + 1 h − issue time). Only once the
 * job has issued (before that the replay is held for the first model, see {@code hold-replay}); a
 * job that issues nothing for {@link #GIVE_UP} of wall time switches the pacing off (logged), so a
 * stopped job cannot stop the replay. The store is asked at most every {@link #EVERY}.
 */
final class ForecastPacer implements Replay.Pacer {
  private static final Logger LOG = LoggerFactory.getLogger(ForecastPacer.class);
  static final Duration MAX_LAG = Duration.ofHours(1);
  static final Duration EVERY = Duration.ofMillis(200);
  static final Duration FIRST_ISSUE_AHEAD = Duration.ofHours(3);
  static final Duration GIVE_UP = Duration.ofMinutes(5);

  private final TerrafieldStore store;
  private final Variable variable;
  private final String model;
  private long checkedAt;
  private boolean checked;
  private boolean behind;
  private long behindSince = -1;
  private boolean off;
  private Instant baseline;
  private long waits;
  private Duration maxLag = Duration.ZERO;

  ForecastPacer(TerrafieldStore store, Variable variable, String model) {
    this.store = store;
    this.variable = variable;
    this.model = model;
  }

  @Override
  public boolean behind() {
    if (off) {
      return false;
    }
    long now = System.nanoTime();
    if (checked && now - checkedAt < EVERY.toNanos()) {
      return behind;
    }
    checked = true;
    checkedAt = now;
    Optional<Duration> lag = lag();
    boolean was = behind;
    behind = lag.isPresent() && lag.get().compareTo(MAX_LAG) > 0;
    lag.filter(l -> l.compareTo(maxLag) > 0).ifPresent(l -> maxLag = l);
    if (behind && !was) {
      behindSince = now;
      waits++;
      if (waits == 1 || waits % 100 == 0) {
        LOG.info(
            "The replay waits for the forecast job: its newest {} issue is {} h behind the newest"
                + " hourly record (wait #{}, largest lag seen {} h)",
            variable.key(),
            lag.get().toMinutes() / 60.0,
            waits,
            maxLag.toMinutes() / 60.0);
      }
    } else if (behind && now - behindSince > GIVE_UP.toNanos()) {
      off = true;
      behind = false;
      LOG.warn(
          "The forecast job has not caught up for {}: the replay no longer waits for it", GIVE_UP);
    }
    return behind;
  }

  /**
   * Newest hourly record + 1 h − newest issue time; before the first issue, how far the newest
   * record is past the newest one of the first check, minus {@link #FIRST_ISSUE_AHEAD} − {@link
   * #MAX_LAG} (so that the limit is the same); empty without records.
   */
  Optional<Duration> lag() {
    Optional<Instant> newest =
        store.latestValues(variable).stream()
            .map(LatestValue::time)
            .max(Instant::compareTo)
            .map(t -> t.truncatedTo(ChronoUnit.HOURS));
    if (baseline == null) {
      baseline = newest.orElse(Instant.EPOCH);
    }
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    Optional<ForecastIssue> issue = store.newestIssue(variable, model);
    if (issue.isEmpty()) {
      return Optional.of(
          Duration.between(baseline, newest.get()).minus(FIRST_ISSUE_AHEAD).plus(MAX_LAG));
    }
    return Optional.of(
        Duration.between(issue.get().issueTime(), newest.get().plus(Duration.ofHours(1))));
  }
}
