package io.terrafield.api.effects;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.terrafield.api.problems.ServiceBusyException;
import io.terrafield.causal.EffectEstimator;
import io.terrafield.causal.EffectRequest;
import io.terrafield.causal.EffectResult;
import io.terrafield.store.EffectRecord;
import io.terrafield.store.EffectStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts effect requests as stored resources and estimates them on a bounded worker pool: at most
 * {@code capacity} requests are queued or running at once, the next one is refused with a {@link
 * ServiceBusyException} (503, {@code Retry-After} from the recent run times, the detail naming
 * {@code terrafield.effects.capacity} and {@code .workers}) before anything is stored, so no client
 * can fill the heap. The workers run at the lowest CPU priority ({@link LowPriority}), so estimates
 * take only the CPU that ingestion leaves. An accepted effect stays visible at {@code GET
 * /effects/{id}} as {@code queued}, then {@code running}, then {@code succeeded} or {@code failed}.
 * Thread-safe.
 */
public class EffectService {

  private static final Logger log = LoggerFactory.getLogger(EffectService.class);

  static final ObjectMapper SNAKE_CASE =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private final EffectStore store;
  private final Executor workers;
  private final Semaphore capacity;
  private final int capacityTotal;
  private final int workerCount;

  /** Exponentially weighted mean run time of the recent estimates, milliseconds (0: none yet). */
  private final AtomicLong meanRunMs = new AtomicLong();

  private final Clock clock;
  private final EffectEstimator estimator = new EffectEstimator();
  private final Counter accepted;
  private final Counter refused;
  private final AtomicInteger peakInFlight = new AtomicInteger();

  /**
   * @param store where the resources live
   * @param workers runs the estimations (a bounded pool in production, the caller in tests)
   * @param capacity how many requests may be queued or running at once
   * @param clock the time of acceptance, start and finish
   * @param meters where the queue gauge and counters are registered
   */
  public EffectService(
      EffectStore store, Executor workers, int capacity, Clock clock, MeterRegistry meters) {
    this(store, workers, 1, capacity, clock, meters);
  }

  /**
   * @param store where the resources live
   * @param workers runs the estimations (a bounded pool in production, the caller in tests)
   * @param workerCount how many estimations {@code workers} runs at once (for {@code Retry-After})
   * @param capacity how many requests may be queued or running at once
   * @param clock the time of acceptance, start and finish
   * @param meters where the queue gauge and counters are registered
   */
  public EffectService(
      EffectStore store,
      Executor workers,
      int workerCount,
      int capacity,
      Clock clock,
      MeterRegistry meters) {
    if (workerCount < 1) {
      throw new IllegalArgumentException(
          "terrafield.effects.workers: must be at least 1, was " + workerCount);
    }
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "terrafield.effects.capacity: must be at least 1, was " + capacity);
    }
    this.store = store;
    this.workers = workers;
    this.capacity = new Semaphore(capacity);
    this.capacityTotal = capacity;
    this.workerCount = workerCount;
    this.clock = clock;
    this.accepted = meters.counter("terrafield.effects.accepted");
    this.refused = meters.counter("terrafield.effects.refused");
    meters.gauge("terrafield.effects.in.flight", this, s -> s.inFlight());
    meters.gauge("terrafield.effects.in.flight.peak", peakInFlight);
    Gauge.builder("terrafield.effects.capacity", () -> capacityTotal).register(meters);
  }

  /** Requests queued or running now. */
  int inFlight() {
    return capacityTotal - capacity.availablePermits();
  }

  /** The most requests that were queued or running at once since start (at most the capacity). */
  int peakInFlight() {
    return peakInFlight.get();
  }

  /**
   * Stores a new effect (or returns the one stored under {@code idempotencyKey}) and queues its
   * estimation.
   *
   * @param requestJson the request as the client sent it (after parsing), for the resource
   * @param request the validated request
   * @throws ServiceBusyException when {@code capacity} requests are already in flight
   * @throws IdempotencyConflictException when the key was used with a different request
   */
  Submission submit(String requestJson, EffectRequest request, String idempotencyKey) {
    return submit(requestJson, request, idempotencyKey, null);
  }

  /**
   * As {@link #submit(String, EffectRequest, String)}, with the slot taken by {@link #reserve}
   * before the request was parsed (or {@code null}); the slot is used for a new effect and left to
   * the reservation otherwise.
   */
  Submission submit(
      String requestJson, EffectRequest request, String idempotencyKey, Reservation reservation) {
    if (idempotencyKey != null && idempotencyKey.length() > 200) {
      throw new IllegalArgumentException(
          "Idempotency-Key: longer than 200 characters (" + idempotencyKey.length() + ")");
    }
    if (idempotencyKey != null) {
      Optional<EffectRecord> existing = store.effectByIdempotencyKey(idempotencyKey);
      if (existing.isPresent()) {
        return replay(existing.get(), requestJson, idempotencyKey);
      }
    }
    if (!(reservation != null && reservation.take()) && !capacity.tryAcquire()) {
      throw busy();
    }
    peakInFlight.accumulateAndGet(inFlight(), Math::max);
    boolean queued = false;
    try {
      EffectRecord fresh =
          new EffectRecord(
              UUID.randomUUID().toString(),
              idempotencyKey,
              "queued",
              requestJson,
              null,
              null,
              clock.instant(),
              null,
              null);
      EffectRecord stored = store.insertEffect(fresh);
      if (!stored.id().equals(fresh.id())) {
        return replay(stored, requestJson, idempotencyKey);
      }
      try {
        workers.execute(() -> run(fresh.id(), request));
      } catch (RejectedExecutionException e) { // only when the pool is shut down
        store.effectFinished(
            fresh.id(), "failed", null, "not run: the effect pool is shut down", clock.instant());
        throw busy();
      }
      queued = true;
      accepted.increment();
      return new Submission(fresh, true);
    } finally {
      if (!queued) {
        capacity.release();
      }
    }
  }

  /**
   * Takes a slot of the pool before the request is read and parsed, so that a request that would be
   * refused costs no parsing, and one that was admitted keeps its slot while it is parsed.
   *
   * @throws ServiceBusyException when {@code capacity} requests are already in flight or admitted
   */
  Reservation reserve() {
    if (!capacity.tryAcquire()) {
      throw busy();
    }
    peakInFlight.accumulateAndGet(inFlight(), Math::max);
    return new Reservation(capacity);
  }

  /** A slot taken by {@link #reserve}: used by a submission, else released once. Thread-safe. */
  static final class Reservation {
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Semaphore capacity;

    private Reservation(Semaphore capacity) {
      this.capacity = capacity;
    }

    /** Hands the slot to the caller; false when it was already taken or released. */
    boolean take() {
      return open.compareAndSet(true, false);
    }

    /** Gives the slot back unless a submission took it. */
    void release() {
      if (open.compareAndSet(true, false)) {
        capacity.release();
      }
    }
  }

  private ServiceBusyException busy() {
    refused.increment();
    long retryAfter = retryAfterSeconds();
    return new ServiceBusyException(
        "effects: "
            + capacityTotal
            + " requests are already queued or running (terrafield.effects.capacity) on "
            + workerCount
            + " worker"
            + (workerCount == 1 ? "" : "s")
            + " (terrafield.effects.workers); retry after "
            + retryAfter
            + " s",
        retryAfter);
  }

  /**
   * When a slot is likely free: the in-flight requests times the recent mean run time, divided by
   * the workers; 1..60 s, 5 s before any estimate has finished.
   */
  long retryAfterSeconds() {
    long mean = meanRunMs.get();
    if (mean == 0) {
      return 5;
    }
    double seconds = Math.ceil(inFlight() * (mean / 1000.0) / workerCount);
    return (long) Math.max(1, Math.min(60, seconds));
  }

  /** The effect first stored under the key, if the request is the same. */
  private static Submission replay(EffectRecord stored, String requestJson, String key) {
    if (!stored.request().equals(requestJson)) {
      throw new IdempotencyConflictException(
          "Idempotency-Key: '"
              + key
              + "' was first used for effect "
              + stored.id()
              + " with a different request");
    }
    return new Submission(stored, false);
  }

  /** A stored effect and whether this call created it. */
  record Submission(EffectRecord effect, boolean created) {}

  Optional<EffectRecord> find(String id) {
    return store.effect(id);
  }

  List<EffectRecord> list(int limit) {
    return store.effects(limit);
  }

  private void run(String id, EffectRequest request) {
    long start = System.nanoTime();
    try {
      store.effectStarted(id, clock.instant());
      EffectResult result = estimator.estimate(request);
      if (!Double.isFinite(result.estimate()) || !Double.isFinite(result.se())) {
        store.effectFinished(
            id,
            "failed",
            null,
            "outcome: the estimate ("
                + result.estimate()
                + ") or its standard error ("
                + result.se()
                + ") is not finite",
            clock.instant());
        return;
      }
      store.effectFinished(
          id, "succeeded", SNAKE_CASE.writeValueAsString(result), null, clock.instant());
    } catch (IllegalArgumentException e) {
      store.effectFinished(id, "failed", null, e.getMessage(), clock.instant());
    } catch (Exception e) {
      log.warn("effect {} failed", id, e);
      store.effectFinished(
          id,
          "failed",
          null,
          "estimation failed: " + e.getClass().getSimpleName(),
          clock.instant());
    } finally {
      long ms = Math.max(1, (System.nanoTime() - start) / 1_000_000);
      meanRunMs.updateAndGet(m -> m == 0 ? ms : (3 * m + ms) / 4);
      capacity.release();
    }
  }
}
