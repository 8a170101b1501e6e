package io.terrafield.api.problems;

/** The server is at capacity for this kind of work; answered with 503 and {@code Retry-After}. */
public class ServiceBusyException extends RuntimeException {
  private final long retryAfterSeconds;

  public ServiceBusyException(String message, long retryAfterSeconds) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
