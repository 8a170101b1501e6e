package io.terrafield.forecasting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fit progress through {@link FitListener} and through the PrintStream progress bar. */
class FitListenerTest {
  private record Call(int epoch, int epochs, long step, long steps, double loss) {}

  /** 3 stations × 100 hours: 300 rows, batches of 64 → 5 steps per epoch. */
  private static SpaceTimeSeries series() {
    List<Station> stations =
        List.of(
            new Station("a", 116.0, 39.8),
            new Station("b", 116.2, 39.9),
            new Station("c", 116.4, 40));
    double[][] values = new double[3][100];
    for (int s = 0; s < 3; s++) {
      for (int t = 0; t < 100; t++) {
        values[s][t] = 20 + 10 * Math.sin(2 * Math.PI * t / 24.0) + 5 * s;
      }
    }
    return new SpaceTimeSeries(
        "pm", stations, LocalDateTime.of(2020, 1, 1, 0, 0), Duration.ofHours(1), values);
  }

  private static FieldConfig config(boolean graph) {
    return new FieldConfig(graph, graph, 2, 8, 2, 1, 3, 64, 0.01, 2, 4, 7);
  }

  @Test
  void everyStepIsReportedInOrderWithEpochAndLoss() {
    List<Call> calls = new ArrayList<>();
    try (NeuralField field =
        NeuralField.fit(
            series(),
            100,
            config(true),
            (epoch, epochs, step, steps, loss) ->
                calls.add(new Call(epoch, epochs, step, steps, loss)))) {
      assertThat(calls).hasSize(15);
      for (int i = 0; i < calls.size(); i++) {
        Call c = calls.get(i);
        assertThat(c.step()).isEqualTo(i + 1);
        assertThat(c.steps()).isEqualTo(15);
        assertThat(c.epochs()).isEqualTo(3);
        assertThat(c.epoch()).isEqualTo(i / 5 + 1);
      }
      assertThat(calls.get(14).loss()).isFinite().isEqualTo(field.lastLoss());
    }
  }

  @Test
  void aFitOnAFreshThreadWorksAfterTheEngineWasLoadedElsewhere() throws Exception {
    // The engine is loaded on this thread (the first fit); libtorch's grad mode is per thread and
    // on by default, so a fit on a new thread must turn it off itself before the in-place step.
    NeuralField.fit(series(), 100, config(false), (e, es, s, ss, l) -> {}).close();
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    double[] loss = {Double.NaN};
    Thread fresh =
        new Thread(
            () -> {
              try (NeuralField field =
                  NeuralField.fit(series(), 100, config(false), (e, es, s, ss, l) -> {})) {
                loss[0] = field.lastLoss();
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    fresh.start();
    fresh.join();
    assertThat(failure.get()).isNull();
    assertThat(loss[0]).isFinite();
  }

  @Test
  void printStreamOverloadDrawsTheProgressBarWithTheLoss() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (NeuralField field =
        NeuralField.fit(
            series(), 100, config(false), new PrintStream(out, true, StandardCharsets.UTF_8))) {
      assertThat(field.lastLoss()).isFinite();
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("fit bayesnf").contains("loss");
  }

  @Test
  void sameSeedSameListenerLossesAsThePrintStreamFit() {
    List<Double> losses = new ArrayList<>();
    double viaListener;
    try (NeuralField field =
        NeuralField.fit(
            series(), 100, config(false), (epoch, epochs, step, steps, loss) -> losses.add(loss))) {
      viaListener = field.lastLoss();
    }
    try (NeuralField field =
        NeuralField.fit(
            series(), 100, config(false), new PrintStream(PrintStream.nullOutputStream()))) {
      assertThat(field.lastLoss()).isEqualTo(viaListener);
    }
    assertThat(losses).hasSize(15);
  }
}
