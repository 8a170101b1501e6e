package io.terrafield.api.effects;

/** An {@code Idempotency-Key} was reused with a different request body; answered with 422. */
class IdempotencyConflictException extends RuntimeException {
  IdempotencyConflictException(String message) {
    super(message);
  }
}
