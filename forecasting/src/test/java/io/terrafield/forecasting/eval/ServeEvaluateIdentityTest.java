package io.terrafield.forecasting.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.SpaceTimeSeries;
import io.terrafield.forecasting.Station;
import io.terrafield.forecasting.serving.ForecastPipeline;
import io.terrafield.forecasting.serving.IssuedForecast;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is served is what is evaluated: for the same field, history and issue time, the served
 * pipeline ({@link ForecastPipeline#issue}) returns the quantiles of the evaluation's cglubnf model
 * — and it sees nothing after the issue time (its history holds NaN there, the evaluation's the
 * real values).
 */
class ServeEvaluateIdentityTest {

  @Test
  void servedQuantilesAreTheEvaluatedOnes(@TempDir Path dir) throws Exception {
    SpaceTimeSeries full = synthetic(4, 75 * 24, 7);
    LocalDate testFrom = LocalDate.of(2020, 3, 6);
    int testStart = full.indexOf(testFrom.atStartOfDay());
    FieldConfig config = FieldConfig.cglubnf().withSizes(2, 16, 2);
    Evaluation.Options options =
        new Evaluation.Options(
            "synthetic",
            dir,
            "pm25",
            testFrom,
            new int[] {1, 6, 24, 72},
            new MissingPattern(MissingPattern.Kind.NONE, 0),
            List.of("cglubnf"),
            dir.resolve("out"),
            config,
            FieldConfig.bayesnf(),
            7,
            dir.resolve("fields"));
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    int[] leads = new int[72];
    Arrays.setAll(leads, h -> h + 1);
    int issue = testStart + 5 * 24 + 13;
    double[][][] evaluated;
    ForecastModel model = Evaluation.create("cglubnf", options);
    try {
      model.prepare(full, testStart);
      evaluated = model.forecast(full, issue, leads);
    } finally {
      ((AutoCloseable) model).close();
    }
    Path fieldFile = Evaluation.cacheFile("cglubnf", options);
    assertThat(fieldFile).exists();

    double[][] live = full.copyValues();
    for (double[] row : live) {
      Arrays.fill(row, issue, row.length, Double.NaN);
    }
    Clock clock = Clock.fixed(Instant.parse("2026-11-30T00:00:00Z"), ZoneOffset.UTC);
    try (ForecastPipeline pipeline =
        ForecastPipeline.prepare(
            full.withValues(live),
            testStart,
            config,
            fieldFile,
            quiet,
            new ForecastPipeline.Settings(ZoneOffset.ofHours(8), 75, 72, 0),
            "v1",
            clock)) {
      assertThat(pipeline.loadedFromArtifact()).isTrue();
      IssuedForecast served = pipeline.issue(issue);
      assertThat(served.issueTime()).isEqualTo(full.time(issue).toInstant(ZoneOffset.ofHours(8)));
      for (int s = 0; s < 4; s++) {
        IssuedForecast.Target target = served.targets().get(s);
        for (int h = 0; h < 72; h++) {
          IssuedForecast.Quantiles q = target.leads().get(h).quantiles();
          double[] e = evaluated[h][s];
          assertThat(q.q025()).isCloseTo(e[QuantileLevels.Q025], within(1e-9));
          assertThat(q.q05()).isCloseTo(e[QuantileLevels.Q05], within(1e-9));
          assertThat(q.q50()).isCloseTo(e[QuantileLevels.MEDIAN], within(1e-9));
          assertThat(q.q95()).isCloseTo(e[QuantileLevels.Q95], within(1e-9));
          assertThat(q.q975()).isCloseTo(e[QuantileLevels.Q975], within(1e-9));
          assertThat(target.leads().get(h).exceedanceProbability()).isBetween(0.0, 1.0);
        }
      }
    }
  }

  /** Log-normal daily cycles with AR(1) noise per station. */
  static SpaceTimeSeries synthetic(int stations, int hours, long seed) {
    Random random = new Random(seed);
    double[][] values = new double[stations][hours];
    List<Station> list =
        java.util.stream.IntStream.range(0, stations)
            .mapToObj(s -> new Station("s" + s, 116.3 + 0.05 * s, 39.9 + 0.03 * s))
            .toList();
    for (int s = 0; s < stations; s++) {
      double noise = 0;
      for (int t = 0; t < hours; t++) {
        noise = 0.9 * noise + 0.3 * random.nextGaussian();
        values[s][t] = Math.expm1(3.5 + 0.5 * Math.sin(2 * Math.PI * t / 24.0) + 0.1 * s + noise);
        if (random.nextDouble() < 0.05) {
          values[s][t] = Double.NaN;
        }
      }
    }
    return new SpaceTimeSeries(
        "pm25", list, LocalDateTime.of(2020, 1, 1, 0, 0), Duration.ofHours(1), values);
  }
}
