package io.terrafield.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stored effect-estimation resources, keyed on id (and on the idempotency key). Thread-safe. */
public interface EffectStore {

  /**
   * Inserts a new effect. If one with the same non-null idempotency key exists, nothing is written
   * and that one is returned; otherwise {@code effect} is.
   */
  EffectRecord insertEffect(EffectRecord effect);

  /** Marks an effect running at {@code startedAt}. */
  void effectStarted(String id, Instant startedAt);

  /** Records the outcome: {@code result} (JSON) or {@code error}, and the finishing time. */
  void effectFinished(String id, String status, String result, String error, Instant finishedAt);

  Optional<EffectRecord> effect(String id);

  /** The effect stored under an idempotency key, if any. */
  Optional<EffectRecord> effectByIdempotencyKey(String key);

  /** The newest effects first, at most {@code limit}. */
  List<EffectRecord> effects(int limit);
}
