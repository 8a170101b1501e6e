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
 */
public record Rejection(
    String payload, int payloadBytes, String reason, String field, String value, Instant rejectedAt)
    implements Serializable {}
