package io.terrafield.api.forecasts;

import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.Mockito.mock;

import io.terrafield.store.ForecastIssue;
import io.terrafield.store.ForecastRecord;
import io.terrafield.store.ForecastStore;
import io.terrafield.store.TargetKind;
import io.terrafield.store.Variable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread-safe stand-in for the forecast part of the store (unlike a stubbed Mockito mock, it may
 * be changed while the newest-issue refresher calls it): the {@link IssueFixture} pm25 issues
 * published so far, the newest answered by {@link #newestIssue}; reads of an issue can be made to
 * block until released, or to fail. Counts the calls. {@link #asStore} is the {@link ForecastStore}
 * that delegates to it (other methods fail).
 */
final class FakeIssueStore {

  private final Map<Instant, ForecastIssue> published = new ConcurrentHashMap<>();
  private volatile ForecastIssue newest;
  private volatile CountDownLatch readStarted = new CountDownLatch(0);
  private volatile CountDownLatch release = new CountDownLatch(0);
  private volatile RuntimeException failure;
  final AtomicInteger newestQueries = new AtomicInteger();
  final Map<Instant, AtomicInteger> reads = new ConcurrentHashMap<>();

  /** The {@link ForecastStore} answering from this fake. */
  ForecastStore asStore() {
    return mock(ForecastStore.class, delegatesTo(this));
  }

  /** Publishes an issue of {@code hours} lead times: from now on the newest. */
  void publish(Instant issueTime, int hours) {
    ForecastIssue issue = IssueFixture.issue(issueTime, hours);
    published.put(issueTime, issue);
    newest = issue;
  }

  /**
   * Makes the next reads block until {@link #release} (returns the latch counted down when a read
   * starts).
   */
  CountDownLatch blockReads() {
    readStarted = new CountDownLatch(1);
    release = new CountDownLatch(1);
    return readStarted;
  }

  /** Lets the blocked reads go on. */
  void release() {
    release.countDown();
  }

  /** Makes reads fail with {@code e} (null: succeed again). */
  void failReads(RuntimeException e) {
    failure = e;
  }

  /** How many times the issue of this time was read. */
  int reads(Instant issueTime) {
    AtomicInteger n = reads.get(issueTime);
    return n == null ? 0 : n.get();
  }

  // the ForecastStore methods the queries use

  public Optional<ForecastIssue> newestIssue(Variable variable, String model) {
    newestQueries.incrementAndGet();
    return variable == Variable.PM25 ? Optional.ofNullable(newest) : Optional.empty();
  }

  public Optional<ForecastIssue> issue(Variable variable, String model, Instant issueTime) {
    return variable == Variable.PM25
        ? Optional.ofNullable(published.get(issueTime))
        : Optional.empty();
  }

  public List<ForecastIssue> issues(Variable variable, String model, int limit) {
    return published.values().stream()
        .filter(i -> i.variable() == variable)
        .sorted((a, b) -> b.issueTime().compareTo(a.issueTime()))
        .limit(limit)
        .toList();
  }

  public List<ForecastRecord> issueForecasts(
      Variable variable, String model, Instant issueTime, TargetKind kind) {
    reads.computeIfAbsent(issueTime, t -> new AtomicInteger()).incrementAndGet();
    readStarted.countDown();
    try {
      if (!release.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test did not release the read");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    RuntimeException e = failure;
    if (e != null) {
      throw e;
    }
    ForecastIssue issue = published.get(issueTime);
    return issue == null ? List.of() : IssueFixture.forecasts(issueTime, issue.maxHorizonH());
  }
}
