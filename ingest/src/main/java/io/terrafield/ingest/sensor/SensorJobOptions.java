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
 * @param clock the clock for "now" (future check, rejection times, sink batching, idleness)
 * @param quietClose processing time without a reading of a station after which its open hours are
 *     written; they stay open for late readings (see {@link HourlyAggregateFunction}); zero: hours
 *     are written only as newer readings move the watermark
 */
public record SensorJobOptions(
    Duration outOfOrderness,
    Duration allowedLateness,
    Duration maxFutureSkew,
    Duration idleness,
    int maxPayloadBytes,
    Clock clock,
    Duration quietClose)
    implements Serializable {

  /** Options without a quiet close (hours close only as newer readings arrive). */
  public SensorJobOptions(
      Duration outOfOrderness,
      Duration allowedLateness,
      Duration maxFutureSkew,
      Duration idleness,
      int maxPayloadBytes,
      Clock clock) {
    this(
        outOfOrderness,
        allowedLateness,
        maxFutureSkew,
        idleness,
        maxPayloadBytes,
        clock,
        Duration.ZERO);
  }

  /**
   * The defaults: 10 min out-of-orderness, 1 h allowed lateness, 1 h future skew, 30 s idleness, 64
   * KiB readings, and open hours written after 1 h (the allowed lateness) without readings.
   */
  public static SensorJobOptions defaults(Clock clock) {
    return new SensorJobOptions(
        Duration.ofMinutes(10),
        Duration.ofHours(1),
        Duration.ofHours(1),
        Duration.ofSeconds(30),
        ReadingValidator.DEFAULT_MAX_PAYLOAD_BYTES,
        clock,
        Duration.ofHours(1));
  }

  /** These options with open hours written after {@code quiet} without readings. */
  public SensorJobOptions withQuietClose(Duration quiet) {
    return new SensorJobOptions(
        outOfOrderness, allowedLateness, maxFutureSkew, idleness, maxPayloadBytes, clock, quiet);
  }
}
