package io.terrafield.api.forecasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link EncodedAnswers} on its own: one computation per key however many requests wait for it, a
 * failed computation is not kept, the ETag follows the bytes, and the ranges are written as the
 * boxed lists were.
 */
class EncodedAnswersTest {

  final EncodedAnswers answers = new EncodedAnswers(new ObjectMapper(), 1);

  @Test
  void concurrentRequestsForOneKeyShareOneComputation() throws Exception {
    AtomicInteger computed = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<EncodedAnswers.Answer>> waiting =
          List.of(1, 2, 3, 4).stream()
              .map(
                  i ->
                      pool.submit(
                          () ->
                              answers.answer(
                                  "key",
                                  QueryFormat.CSV,
                                  () -> {
                                    computed.incrementAndGet();
                                    started.countDown();
                                    await(release);
                                    return "a,b\n1,2\n";
                                  })))
              .toList();
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      release.countDown();
      for (Future<EncodedAnswers.Answer> f : waiting) {
        assertThat(new String(f.get(10, TimeUnit.SECONDS).body(), StandardCharsets.UTF_8))
            .isEqualTo("a,b\n1,2\n");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(computed).hasValue(1);
  }

  @Test
  void aFailedAnswerIsNotKept() {
    assertThatThrownBy(
            () ->
                answers.answer(
                    "bad",
                    QueryFormat.CSV,
                    () -> {
                      throw new IllegalArgumentException("datetime: no forecast hour");
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("datetime: no forecast hour");

    assertThat(answers.answer("bad", QueryFormat.CSV, () -> "ok\n").body())
        .isEqualTo("ok\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theETagIsStrongAndFollowsTheBytes() {
    EncodedAnswers.Answer a = answers.encode(QueryFormat.CSV, "x\n1\n");
    EncodedAnswers.Answer same = answers.encode(QueryFormat.CSV, "x\n1\n");
    EncodedAnswers.Answer other = answers.encode(QueryFormat.CSV, "x\n2\n");

    assertThat(a.etag()).matches("\"[0-9a-f]{32}\"").isEqualTo(same.etag());
    assertThat(other.etag()).isNotEqualTo(a.etag());
    assertThat(a.mediaType().toString()).isEqualTo("text/csv;charset=UTF-8");
  }

  @Test
  void aRangeIsWrittenAsTheRoundedBoxedListWas() throws Exception {
    double[] values = {1.23456, Double.NaN, -0.0004, 120.5, Double.POSITIVE_INFINITY, 0.1 + 0.2};
    java.util.List<Double> boxed = new java.util.ArrayList<>();
    for (double v : values) {
      boxed.add(Double.isFinite(v) ? CsvTable.round(v) : null);
    }

    byte[] written =
        answers
            .encode(QueryFormat.COVERAGE_JSON, Map.of("values", new CoverageJson.Values(values)))
            .body();

    assertThat(new String(written, StandardCharsets.UTF_8))
        .isEqualTo(new ObjectMapper().writeValueAsString(Map.of("values", boxed)))
        .isEqualTo("{\"values\":[1.235,null,0.0,120.5,null,0.3]}");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
