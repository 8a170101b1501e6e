package io.terrafield.ingest.forecast;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * The event time of an hourly message: its {@code time} field ({@link Long#MIN_VALUE} when the
 * message is malformed, so it does not move the watermark). Used in the source, so that each Kafka
 * partition has its own watermark and the job's watermark is their minimum: an hour is issued only
 * once every partition has moved past it.
 */
final class HourlyTimestamps implements SerializableTimestampAssigner<String> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public long extractTimestamp(String message, long recordTimestamp) {
    try {
      return Instant.parse(JSON.readTree(message).path("time").asText()).toEpochMilli();
    } catch (Exception e) {
      return Long.MIN_VALUE;
    }
  }
}
