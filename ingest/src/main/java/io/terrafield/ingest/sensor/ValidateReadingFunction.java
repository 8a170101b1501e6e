package io.terrafield.ingest.sensor;

import io.terrafield.store.Observation;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses raw JSON readings; invalid messages and invalid variables go to the {@link #REJECTED} side
 * output (a reading with some invalid variables is kept with the valid ones). Stateless.
 */
public final class ValidateReadingFunction extends ProcessFunction<String, Observation> {

  public static final OutputTag<Rejection> REJECTED = new OutputTag<>("invalid") {};

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
  public void processElement(String payload, Context ctx, Collector<Observation> out) {
    ReadingValidator.Outcome outcome = validator.validate(payload);
    for (Rejection r : outcome.rejections()) {
      ctx.output(REJECTED, r);
      metrics.rejected(r);
    }
    if (outcome.observation() != null) {
      out.collect(outcome.observation());
      valid.inc();
    }
  }
}
