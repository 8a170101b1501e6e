package io.terrafield.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One effect-estimation request as a stored resource.
 *
 * @param id the resource id (a UUID)
 * @param idempotencyKey the client's {@code Idempotency-Key}, or null
 * @param status {@code queued}, {@code running}, {@code succeeded} or {@code failed}
 * @param request the request as JSON
 * @param result the result as JSON, or null until it succeeded
 * @param error why it failed, or null
 * @param createdAt when it was accepted
 * @param startedAt when estimation started, or null
 * @param finishedAt when it succeeded or failed, or null
 */
public record EffectRecord(
    String id,
    String idempotencyKey,
    String status,
    String request,
    String result,
    String error,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {

  public EffectRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
