package io.terrafield.ingest.sensor;

import java.io.Serializable;
import java.time.Instant;

/**
 * A record the sensor job did not accept, as published on {@code aq.observations.rejected}.
 *
 * @param payload the original message (truncated to {@link ReadingValidator#MAX_ECHO_CHARS}
 *     characters when it was too large to echo; {@code payloadBytes} keeps the true size)
 * @param payloadBytes the size of the original message in bytes
 * @param reason a sentence that names the field and the value, e.g. {@code pm25: 2500.0 is outside
 *     the plausible range [0, 2000] µg/m³}
 * @param field the offending field ({@code payload} when the message as a whole is bad)
 * @param value the offending value as text, or {@code null}
 * @param rejectedAt processing time of the rejection (from the job's clock)
 * @param scope {@link #READING} when the whole message was not accepted, {@link #VARIABLE} when
 *     only the value of {@code field} was dropped and the reading's other variables were kept
 */
public record Rejection(
    String payload,
    int payloadBytes,
    String reason,
    String field,
    String value,
    Instant rejectedAt,
    String scope)
    implements Serializable {

  /** The whole message was not accepted; it counts once in {@code in = accepted + rejected}. */
  public static final String READING = "reading";

  /** One variable's value was dropped; the reading itself was kept (or rejected separately). */
  public static final String VARIABLE = "variable";

  /** A rejection of the whole message. */
  public Rejection(
      String payload,
      int payloadBytes,
      String reason,
      String field,
      String value,
      Instant rejectedAt) {
    this(payload, payloadBytes, reason, field, value, rejectedAt, READING);
  }

  /** Whether the whole message was rejected (rather than one of its variables). */
  public boolean wholeReading() {
    return READING.equals(scope);
  }
}
