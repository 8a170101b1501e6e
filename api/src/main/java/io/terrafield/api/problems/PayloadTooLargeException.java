package io.terrafield.api.problems;

import java.io.IOException;

/** A request body went past the configured limit while it was being read; answered with 413. */
public class PayloadTooLargeException extends IOException {
  private final long limitBytes;

  public PayloadTooLargeException(long limitBytes) {
    super("request body larger than " + limitBytes + " bytes");
    this.limitBytes = limitBytes;
  }

  public long limitBytes() {
    return limitBytes;
  }
}
