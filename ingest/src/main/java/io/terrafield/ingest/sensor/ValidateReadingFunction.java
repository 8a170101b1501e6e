package io.terrafield.ingest.sensor;

import io.terrafield.store.Observation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Parses raw JSON readings; invalid ones go to the {@link #REJECTED} side output. Stateless. */
public final class ValidateReadingFunction extends ProcessFunction<String, Observation> {

  public static final OutputTag<Rejection> REJECTED = new OutputTag<>("invalid") {};

  private final ReadingValidator validator;

  public ValidateReadingFunction(ReadingValidator validator) {
    this.validator = validator;
  }

  @Override
  public void processElement(String payload, Context ctx, Collector<Observation> out) {
    ReadingValidator.Outcome outcome = validator.validate(payload);
    if (outcome.observation() != null) {
      out.collect(outcome.observation());
    } else {
      ctx.output(REJECTED, outcome.rejection());
    }
  }
}
