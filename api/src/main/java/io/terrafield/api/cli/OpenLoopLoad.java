package io.terrafield.api.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Open-loop constant-rate load on one URL: request {@code i} is due at {@code start + i / rate},
 * whether or not earlier ones have answered, and its latency is measured from the time it was due
 * (not from when it was sent), so a server that falls behind shows its queueing delay instead of
 * slowing the client down (no coordinated omission). At most {@code maxInFlight} requests are
 * outstanding; a request due beyond that is not sent and counts as an error ({@code client
 * overload}). Latencies go to an HdrHistogram (microseconds, 3 significant digits).
 */
final class OpenLoopLoad {

  private final HttpClient client;
  private final Duration timeout;
  private final int maxInFlight;

  OpenLoopLoad(HttpClient client, Duration timeout, int maxInFlight) {
    this.client = client;
    this.timeout = timeout;
    this.maxInFlight = maxInFlight;
  }

  /**
   * The outcome of one run.
   *
   * @param label what was requested
   * @param due requests due in the run
   * @param ok 2xx answers
   * @param refused answers with another status
   * @param statuses how many answers of each non-2xx status
   * @param failed timeouts and connection failures
   * @param unsent requests not sent because {@code maxInFlight} were outstanding
   * @param seconds from the first due time to the last answer
   * @param latency of the 2xx answers, microseconds
   */
  record Result(
      String label,
      long due,
      long ok,
      long refused,
      Map<Integer, Long> statuses,
      long failed,
      long unsent,
      double seconds,
      Histogram latency) {

    /** Every request that did not get a 2xx answer. */
    long errors() {
      return refused + failed + unsent;
    }

    /** Answers (2xx) per second. */
    double okRate() {
      return seconds <= 0 ? 0 : ok / seconds;
    }

    /** The latency at {@code percentile} (0-100) in milliseconds; NaN without an answer. */
    double millis(double percentile) {
      return latency.getTotalCount() == 0
          ? Double.NaN
          : latency.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  /** Fires at {@code url} at {@code rate} requests per second for {@code duration}. */
  Result run(String label, URI url, double rate, Duration duration) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
    Histogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
    AtomicLong ok = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    Map<Integer, Long> statuses = new ConcurrentSkipListMap<>();
    AtomicLong failed = new AtomicLong();
    AtomicLong unsent = new AtomicLong();
    AtomicLong lastAnswer = new AtomicLong();
    Semaphore slots = new Semaphore(maxInFlight);
    long count = Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
    long intervalNanos = Math.round(1e9 / rate);
    long start = System.nanoTime();
    for (long i = 0; i < count; i++) {
      long due = start + i * intervalNanos;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      if (!slots.tryAcquire()) {
        unsent.incrementAndGet();
        continue;
      }
      CompletableFuture<HttpResponse<Void>> answer =
          client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
      answer.whenComplete(
          (response, failure) -> {
            long now = System.nanoTime();
            lastAnswer.accumulateAndGet(now, Math::max);
            if (failure != null) {
              failed.incrementAndGet();
            } else if (response.statusCode() / 100 == 2) {
              ok.incrementAndGet();
              latency.recordValue(Math.max(0, (now - due) / 1000));
            } else {
              refused.incrementAndGet();
              statuses.merge(response.statusCode(), 1L, Long::sum);
            }
            slots.release();
          });
    }
    slots.acquire(maxInFlight);
    slots.release(maxInFlight);
    double seconds = (Math.max(lastAnswer.get(), start) - start) / 1e9;
    return new Result(
        label,
        count,
        ok.get(),
        refused.get(),
        Map.copyOf(statuses),
        failed.get(),
        unsent.get(),
        seconds,
        latency);
  }
}
