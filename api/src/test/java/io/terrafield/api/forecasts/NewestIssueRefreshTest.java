package io.terrafield.api.forecasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.terrafield.api.collections.EdrQueries;
import io.terrafield.api.problems.ProblemHandler;
import io.terrafield.api.security.SecurityConfiguration;
import io.terrafield.store.ForecastStore;
import io.terrafield.store.ObservationStore;
import io.terrafield.store.Variable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The served newest issue ({@link StoredIssues}): a newly stored issue is served once the refresher
 * has read it (the newest-issue queries then answer from it, with a new ETag, and it was read
 * once); while it is being read, the newest-issue queries answer from the previous issue without
 * waiting and without asking the store; a failed read keeps the previous issue served and is tried
 * again.
 */
@WebMvcTest(
    controllers = {PositionController.class, GridController.class, InstancesController.class},
    properties = {"terrafield.forecast.variables=pm25", "terrafield.forecast.newest-refresh=50ms"})
@Import({
  ProblemHandler.class,
  SecurityConfiguration.class,
  EdrQueries.class,
  StoredIssues.class,
  EncodedAnswers.class,
  NewestIssueRefreshTest.Store.class
})
class NewestIssueRefreshTest {

  static final Instant ISSUE = Instant.parse("2017-03-02T09:00:00Z");
  static final String CUBE =
      "/collections/pm25/cube?bbox=116.1,39.8,116.7,40.3&resolution-x=10&resolution-y=10";
  static final String POSITION = "/collections/pm25/position?coords=POINT(116.417 39.929)";
  static final FakeIssueStore FAKE = new FakeIssueStore();

  @TestConfiguration
  static class Store {
    @Bean
    ForecastStore forecastStore() {
      return FAKE.asStore();
    }

    @Bean
    Clock clock() {
      return Clock.fixed(ISSUE, ZoneOffset.UTC);
    }
  }

  @Autowired MockMvc mvc;
  @Autowired StoredIssues issues;
  @MockitoBean ObservationStore observations;

  private MockHttpServletResponse ok(String path) throws Exception {
    return mvc.perform(get(path)).andExpect(status().isOk()).andReturn().getResponse();
  }

  private String issueTime(String path) throws Exception {
    return JsonPath.read(ok(path).getContentAsString(), "$['terrafield:issueTime']");
  }

  private boolean served(Instant issueTime) {
    StoredIssues.Served s = issues.served(Variable.PM25);
    return s != null && s.row().issueTime().equals(issueTime);
  }

  @Test
  void aNewIssueIsServedOnceReadAndMeanwhileThePreviousOneWithoutWaiting() throws Exception {
    assertThat(issues.isRunning()).isTrue();
    FAKE.publish(ISSUE, 72);
    await().atMost(Duration.ofSeconds(10)).until(() -> served(ISSUE));
    MockHttpServletResponse before = ok(CUBE);
    assertThat(issueTime(POSITION)).isEqualTo(ISSUE.toString());
    assertThat(FAKE.reads(ISSUE)).isEqualTo(1);

    // a newer issue is stored; its read blocks until released
    Instant next = ISSUE.plus(Duration.ofHours(1));
    CountDownLatch reading = FAKE.blockReads();
    FAKE.publish(next, 72);
    assertThat(reading.await(10, TimeUnit.SECONDS))
        .as("the refresher reads the new issue")
        .isTrue();
    int queries = FAKE.newestQueries.get();
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          for (int i = 0; i < 20; i++) {
            MockHttpServletResponse cube = ok(CUBE);
            assertThat(cube.getHeader("ETag")).isEqualTo(before.getHeader("ETag"));
            assertThat(issueTime(POSITION)).isEqualTo(ISSUE.toString());
          }
        },
        "a newest-issue query waited for the read of the new issue");
    assertThat(FAKE.newestQueries.get())
        .as("the newest-issue queries do not ask the store")
        .isEqualTo(queries);
    assertThat(served(ISSUE)).isTrue();

    FAKE.release();
    await().atMost(Duration.ofSeconds(10)).until(() -> served(next));
    MockHttpServletResponse after = ok(CUBE);
    assertThat(after.getHeader("ETag")).isNotEqualTo(before.getHeader("ETag"));
    assertThat(after.getContentAsString()).contains("\"terrafield:issueTime\":\"" + next + "\"");
    mvc.perform(get(CUBE).header("If-None-Match", before.getHeader("ETag")))
        .andExpect(status().isOk())
        .andExpect(header().string("ETag", after.getHeader("ETag")));
    assertThat(issueTime(POSITION)).isEqualTo(next.toString());
    assertThat(FAKE.reads(next)).as("the new issue is read once").isEqualTo(1);
    // the instance queries still answer the issue they name
    assertThat(
            issueTime(
                "/collections/pm25/instances/20170302T0900Z/position?coords=POINT(116.417 39.929)"))
        .isEqualTo(ISSUE.toString());

    // a failed read: the previous issue stays served, the read is tried again
    Instant third = next.plus(Duration.ofHours(1));
    FAKE.failReads(new IllegalStateException("the store is away"));
    FAKE.publish(third, 72);
    await().atMost(Duration.ofSeconds(10)).until(() -> FAKE.reads(third) >= 2);
    assertThat(issueTime(POSITION)).isEqualTo(next.toString());
    assertThat(served(next)).isTrue();
    FAKE.failReads(null);
    await().atMost(Duration.ofSeconds(10)).until(() -> served(third));
    assertThat(issueTime(POSITION)).isEqualTo(third.toString());
  }

  @Test
  void theRefresherStopsAndWithoutItEachNewestQueryAsksTheStore() throws Exception {
    FakeIssueStore store = new FakeIssueStore();
    store.publish(ISSUE, 3);
    StoredIssues refreshed = new StoredIssues(store.asStore(), 0, Duration.ofMillis(10));
    refreshed.start();
    assertThat(refreshed.isRunning()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> refreshed.served(Variable.PM25) != null);
    refreshed.stop();
    assertThat(refreshed.isRunning()).isFalse();
    int queries = store.newestQueries.get();
    Thread.sleep(100);
    assertThat(store.newestQueries.get()).as("no refresh after stop").isEqualTo(queries);
    assertThat(refreshed.newest(Variable.PM25).issueTime()).isEqualTo(ISSUE);
    assertThat(store.newestQueries.get()).isEqualTo(queries);

    StoredIssues disabled = new StoredIssues(store.asStore(), 0, Duration.ZERO);
    disabled.start();
    assertThat(disabled.isRunning()).isFalse();
    assertThat(disabled.served(Variable.PM25)).isNull();
    assertThat(disabled.newest(Variable.PM25).issueTime()).isEqualTo(ISSUE);
    assertThat(store.newestQueries.get()).as("asks the store").isEqualTo(queries + 1);
  }
}
