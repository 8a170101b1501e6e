package io.terrafield.ingest.sensor;

import io.terrafield.store.Observation;
import io.terrafield.store.Variable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Deduplicates readings on (station, time) and aggregates them into hourly observations, in event
 * time. Keyed by station id.
 *
 * <p>State: one {@link HourBucket} per open hour (start of hour, epoch ms, as map key). A bucket is
 * emitted when the watermark passes the end of its hour and kept for {@code allowedLatenessMs}
 * more, so that a late reading still updates its hour: the updated hourly observation is emitted
 * again and the idempotent upsert downstream replaces the earlier one. A cleanup timer at {@code
 * hourEnd + allowedLateness} removes the bucket, so state returns to zero when the stream is quiet.
 *
 * <p>Rules (documented in docs/topics.md): a reading whose (station, time) was already seen is
 * rejected as a duplicate; a reading whose hour was already closed (watermark past {@code hourEnd +
 * allowedLateness}) is rejected as late. Every input is either counted in exactly one hourly
 * observation's {@code sampleCount} or rejected, so {@code in = accepted + rejected}.
 *
 * <p><b>Hours that close on time</b> ({@code quietCloseMs > 0}): a station's open hours are written
 * once {@code quietCloseMs} of processing time has passed without a reading of that station, even
 * though no newer reading moved the watermark. One processing-time timer per station at a time
 * ({@code quiet-timer}, with {@code last-arrival}): when it fires and the station was quiet, every
 * bucket whose current content has not been emitted is emitted, and both values are cleared. The
 * hours stay open: a reading that arrives later (within the allowed lateness) updates its hour,
 * which is written again — nothing is lost because the stream paused. {@link HourBucket#emitted}
 * keeps the sample count last emitted, so the watermark's emit timer does not repeat an unchanged
 * hour.
 */
public final class HourlyAggregateFunction
    extends KeyedProcessFunction<String, Reading, Observation> {

  /** Side output of duplicates and late readings. */
  public static final OutputTag<Rejection> REJECTED = new OutputTag<>("rejected") {};

  static final long HOUR_MS = 3_600_000L;

  private final long allowedLatenessMs;
  private final long quietCloseMs;
  private final Clock clock;
  private transient MapState<Long, HourBucket> buckets;
  private transient ValueState<Long> lastArrival;
  private transient ValueState<Long> quietTimer;
  private transient SensorMetrics metrics;
  private transient Counter accepted;
  private transient Counter late;

  /** Hours are written only as the watermark passes them (no quiet close). */
  public HourlyAggregateFunction(long allowedLatenessMs, Clock clock) {
    this(allowedLatenessMs, 0, clock);
  }

  /**
   * @param quietCloseMs processing time without a reading of a station after which its open hours
   *     are written ({@code <= 0}: never)
   */
  public HourlyAggregateFunction(long allowedLatenessMs, long quietCloseMs, Clock clock) {
    this.allowedLatenessMs = allowedLatenessMs;
    this.quietCloseMs = quietCloseMs;
    this.clock = clock;
  }

  @Override
  public void open(OpenContext openContext) {
    buckets =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "hour-buckets",
                    TypeInformation.of(Long.class),
                    TypeInformation.of(new TypeHint<HourBucket>() {})));
    lastArrival =
        getRuntimeContext().getState(new ValueStateDescriptor<>("last-arrival", Types.LONG));
    quietTimer =
        getRuntimeContext().getState(new ValueStateDescriptor<>("quiet-timer", Types.LONG));
    metrics = new SensorMetrics(getRuntimeContext().getMetricGroup());
    accepted = metrics.counter("readingsAccepted");
    late = metrics.counter("readingsLate");
  }

  @Override
  public void processElement(Reading reading, Context ctx, Collector<Observation> out)
      throws Exception {
    long t = reading.timeMs();
    long hourStart = Math.floorDiv(t, HOUR_MS) * HOUR_MS;
    long hourEnd = hourStart + HOUR_MS;
    long watermark = ctx.timerService().currentWatermark();
    if (watermark >= hourEnd - 1 + allowedLatenessMs) {
      ctx.output(
          REJECTED,
          rejection(
              reading,
              "time: "
                  + Instant.ofEpochMilli(t)
                  + " is late: its hour closed at watermark "
                  + Instant.ofEpochMilli(watermark)
                  + " (allowed lateness "
                  + allowedLatenessMs / 1000
                  + " s)"));
      late.inc();
      metrics.rejected("late", Rejection.READING);
      return;
    }
    HourBucket bucket = buckets.get(hourStart);
    boolean created = bucket == null;
    if (created) {
      bucket = new HourBucket();
    }
    if (!bucket.addTime(t)) {
      ctx.output(
          REJECTED,
          rejection(
              reading,
              "time: duplicate reading for station '"
                  + reading.stationId()
                  + "' at "
                  + Instant.ofEpochMilli(t)
                  + " (first one kept)"));
      metrics.rejected("duplicate", Rejection.READING);
      return;
    }
    bucket.add(reading);
    accepted.inc();
    if (watermark >= hourEnd - 1) {
      // The hour was already emitted: emit the update, the upsert downstream replaces it.
      out.collect(bucket.emit(ctx.getCurrentKey(), hourStart));
    }
    buckets.put(hourStart, bucket);
    if (created) {
      ctx.timerService().registerEventTimeTimer(hourEnd - 1);
      ctx.timerService().registerEventTimeTimer(hourEnd - 1 + allowedLatenessMs);
    }
    if (quietCloseMs > 0) {
      long now = ctx.timerService().currentProcessingTime();
      lastArrival.update(now);
      if (quietTimer.value() == null) {
        quietTimer.update(now + quietCloseMs);
        ctx.timerService().registerProcessingTimeTimer(now + quietCloseMs);
      }
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Observation> out)
      throws Exception {
    // One call may serve two timers that share a timestamp: the emit timer of one hour and the
    // cleanup timer of an earlier one (when the lateness is a whole number of hours).
    if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
      onQuietTimer(timestamp, ctx, out);
      return;
    }
    long end = timestamp + 1;
    if (end % HOUR_MS == 0) {
      HourBucket bucket = buckets.get(end - HOUR_MS);
      if (bucket != null && bucket.hasUnemittedSamples()) {
        out.collect(bucket.emit(ctx.getCurrentKey(), end - HOUR_MS));
        buckets.put(end - HOUR_MS, bucket);
      }
    }
    long cleanupEnd = end - allowedLatenessMs;
    if (cleanupEnd % HOUR_MS == 0) {
      buckets.remove(cleanupEnd - HOUR_MS);
    }
  }

  /** Writes the station's open hours if it has been quiet, else waits for the rest. */
  private void onQuietTimer(long timestamp, OnTimerContext ctx, Collector<Observation> out)
      throws Exception {
    Long last = lastArrival.value();
    if (last != null && timestamp < last + quietCloseMs) {
      quietTimer.update(last + quietCloseMs);
      ctx.timerService().registerProcessingTimeTimer(last + quietCloseMs);
      return;
    }
    lastArrival.clear();
    quietTimer.clear();
    List<Long> hours = new ArrayList<>();
    buckets.keys().forEach(hours::add);
    Collections.sort(hours);
    for (long hourStart : hours) {
      HourBucket bucket = buckets.get(hourStart);
      if (bucket.hasUnemittedSamples()) {
        out.collect(bucket.emit(ctx.getCurrentKey(), hourStart));
        buckets.put(hourStart, bucket);
      }
    }
  }

  private Rejection rejection(Reading reading, String reason) {
    String payload = ObservationJson.readingJson(reading.toObservation());
    return new Rejection(
        payload,
        ReadingValidator.utf8Length(payload),
        reason,
        "time",
        Instant.ofEpochMilli(reading.timeMs()).toString(),
        clock.instant());
  }

  /**
   * Running sums of one station-hour. Public with a no-arg constructor for Flink's POJO rules; the
   * fields are primitive arrays, which Flink copies and serializes without Kryo.
   */
  public static final class HourBucket {
    private static final Variable[] VARIABLES = Variable.values();

    /** The times of the readings counted so far, sorted, in {@code times[0..samples)}. */
    public long[] times = new long[1];

    /** How many readings were counted. */
    public int samples;

    public double[] sums = new double[VARIABLES.length];
    public int[] counts = new int[VARIABLES.length];
    public String windDirection;
    public long lastTime = Long.MIN_VALUE;

    /** The sample count when the hour was last emitted (0: never). */
    public int emitted;

    /** Records a reading's time; false when that time was already counted (a duplicate). */
    boolean addTime(long t) {
      int at = Arrays.binarySearch(times, 0, samples, t);
      if (at >= 0) {
        return false;
      }
      int insert = -at - 1;
      if (samples == times.length) {
        times = Arrays.copyOf(times, Math.max(4, samples * 2));
      }
      System.arraycopy(times, insert, times, insert + 1, samples - insert);
      times[insert] = t;
      samples++;
      return true;
    }

    void add(Reading r) {
      double[] values = r.values();
      for (int i = 0; i < values.length; i++) {
        if (!Double.isNaN(values[i])) {
          sums[i] += values[i];
          counts[i]++;
        }
      }
      long t = r.timeMs();
      if (r.windDirection() != null && t >= lastTime) {
        windDirection = r.windDirection();
      }
      lastTime = Math.max(lastTime, t);
    }

    boolean hasUnemittedSamples() {
      return emitted != samples;
    }

    /** The hourly observation, remembered as emitted. */
    Observation emit(String stationId, long hourStart) {
      emitted = samples;
      return toObservation(stationId, hourStart);
    }

    Observation toObservation(String stationId, long hourStart) {
      EnumMap<Variable, Double> means = new EnumMap<>(Variable.class);
      for (Variable v : VARIABLES) {
        if (counts[v.ordinal()] > 0) {
          means.put(v, sums[v.ordinal()] / counts[v.ordinal()]);
        }
      }
      return new Observation(
          stationId, Instant.ofEpochMilli(hourStart), means, windDirection, samples);
    }
  }
}
