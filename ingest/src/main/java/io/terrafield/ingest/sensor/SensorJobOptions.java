package io.terrafield.ingest.sensor;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;

/**
 * Tuning of the sensor job.
 *
 * @param outOfOrderness how far behind the newest reading a reading may arrive and still be in
 *     order (bounded-out-of-orderness watermarks)
 * @param allowedLateness how long an emitted hour stays open for late readings, which update it
 * @param maxFutureSkew how far in the future (by the clock) a reading's time may be
 * @param idleness after how long without data a source split stops holding the watermark back
 * @param maxPayloadBytes the largest reading accepted
 * @param clock the clock for "now" (future check, rejection times, sink batching)
 */
public record SensorJobOptions(
    Duration outOfOrderness,
    Duration allowedLateness,
    Duration maxFutureSkew,
    Duration idleness,
    int maxPayloadBytes,
    Clock clock)
    implements Serializable {

  public static SensorJobOptions defaults(Clock clock) {
    return new SensorJobOptions(
        Duration.ofMinutes(10),
        Duration.ofHours(1),
        Duration.ofHours(1),
        Duration.ofSeconds(30),
        ReadingValidator.DEFAULT_MAX_PAYLOAD_BYTES,
        clock);
  }
}
