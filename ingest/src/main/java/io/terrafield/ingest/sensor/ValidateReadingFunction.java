package io.terrafield.ingest.sensor;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses raw JSON readings; invalid messages and invalid variables go to the {@link #REJECTED} side
 * output (a reading with some invalid variables is kept with the valid ones).
 *
 * <p>The known stations are the registry's broadcast state ({@link #STATIONS}, filled from {@code
 * aq.stations}): a station registered while the job runs is accepted from then on, a retired one
 * (tombstone) is unknown again; stations absent from the state fall back to those the validator was
 * built with. Readings that arrive before their station's registration are rejected as from an
 * unknown station. The state is checkpointed and identical on every parallel instance.
 */
public final class ValidateReadingFunction
    extends BroadcastProcessFunction<String, StationUpdate, Reading> {

  public static final OutputTag<Rejection> REJECTED = new OutputTag<>("invalid") {};

  /** The registry: station id → its latest update. */
  public static final MapStateDescriptor<String, StationUpdate> STATIONS =
      new MapStateDescriptor<>("stations", Types.STRING, TypeInformation.of(StationUpdate.class));

  private final ReadingValidator validator;
  private transient SensorMetrics metrics;
  private transient Counter valid;

  public ValidateReadingFunction(ReadingValidator validator) {
    this.validator = validator;
  }

  @Override
  public void open(OpenContext openContext) {
    metrics = new SensorMetrics(getRuntimeContext().getMetricGroup());
    valid = metrics.counter("readingsValid");
  }

  @Override
  public void processElement(String payload, ReadOnlyContext ctx, Collector<Reading> out)
      throws Exception {
    ReadOnlyBroadcastState<String, StationUpdate> registry = ctx.getBroadcastState(STATIONS);
    ReadingValidator.Outcome outcome = validator.validate(payload, id -> isKnown(registry, id));
    for (Rejection r : outcome.rejections()) {
      ctx.output(REJECTED, r);
      metrics.rejected(r);
    }
    if (outcome.reading() != null) {
      out.collect(outcome.reading());
      valid.inc();
    }
  }

  private boolean isKnown(ReadOnlyBroadcastState<String, StationUpdate> registry, String id) {
    try {
      StationUpdate update = registry.get(id);
      return update != null ? update.active() : validator.knows(id);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the station registry state: " + e, e);
    }
  }

  @Override
  public void processBroadcastElement(StationUpdate update, Context ctx, Collector<Reading> out)
      throws Exception {
    ctx.getBroadcastState(STATIONS).put(update.id(), update);
  }
}
