package io.terrafield.ingest.sensor;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses raw JSON readings; invalid messages and invalid variables go to the {@link #REJECTED} side
 * output (a reading with some invalid variables is kept with the valid ones). Stateless.
 */
public final class ValidateReadingFunction extends ProcessFunction<String, Reading> {

  public static final OutputTag<Rejection> REJECTED = new OutputTag<>("invalid") {};

  private final ReadingValidator validator;

  public ValidateReadingFunction(ReadingValidator validator) {
    this.validator = validator;
  }

  @Override
  public void processElement(String payload, Context ctx, Collector<Reading> out) {
    ReadingValidator.Outcome outcome = validator.validate(payload);
    for (Rejection r : outcome.rejections()) {
      ctx.output(REJECTED, r);
    }
    if (outcome.reading() != null) {
      out.collect(outcome.reading());
    }
  }
}
