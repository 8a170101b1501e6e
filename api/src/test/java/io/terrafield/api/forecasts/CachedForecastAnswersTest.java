package io.terrafield.api.forecasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.atMost;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The encoded-answer cache of the forecast queries ({@link EncodedAnswers}): a repeated query is
 * the same bytes with the same strong ETag without computing the answer again, {@code
 * If-None-Match} with that ETag is a 304, Cache-Control is {@code no-cache} for the newest issue
 * and immutable for one issue, and once a newer issue is stored the newest-issue queries answer
 * from it.
 */
@WebMvcTest(
    controllers = {PositionController.class, GridController.class, InstancesController.class},
    properties = {
      "terrafield.forecast.variables=pm25",
      // no refresher: its calls of the stubbed store mock would race with the stubbing; the
      // served newest issue is NewestIssueRefreshTest's
      "terrafield.forecast.newest-refresh=0"
    })
@Import({
  ProblemHandler.class,
  SecurityConfiguration.class,
  EdrQueries.class,
  StoredIssues.class,
  EncodedAnswers.class,
  CachedForecastAnswersTest.Time.class
})
class CachedForecastAnswersTest {

  static final Instant ISSUE = Instant.parse("2017-03-01T09:00:00Z");
  static final String CUBE =
      "/collections/pm25/cube?bbox=116.1,39.8,116.7,40.3&resolution-x=10&resolution-y=10";
  static final String POSITION = "/collections/pm25/position?coords=POINT(116.417 39.929)";

  @TestConfiguration
  static class Time {
    @Bean
    Clock clock() {
      return Clock.fixed(ISSUE, ZoneOffset.UTC);
    }
  }

  @Autowired MockMvc mvc;
  @Autowired EncodedAnswers answers;
  @MockitoBean ObservationStore observations;
  @MockitoBean ForecastStore forecasts;

  private MockHttpServletResponse ok(String path) throws Exception {
    return mvc.perform(get(path)).andExpect(status().isOk()).andReturn().getResponse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        CUBE,
        CUBE + "&f=csv",
        CUBE + "&datetime=2017-03-01T10:00:00Z&f=geojson",
        POSITION,
        POSITION + "&f=geojson",
        "/collections/pm25/area?coords=POLYGON((116.1 39.8,116.5 39.8,116.5 40.1,116.1 39.8))"
      })
  void aRepeatedQueryIsTheSameBytesAndETagWithoutComputingItAgain(String path) throws Exception {
    IssueFixture.stub(forecasts, ISSUE, 72);
    MockHttpServletResponse first = ok(path);
    long kept = answers.size();
    MockHttpServletResponse second = ok(path);

    assertThat(second.getContentAsByteArray()).isEqualTo(first.getContentAsByteArray());
    assertThat(first.getHeader("ETag")).matches("\"[0-9a-f]{32}\"");
    assertThat(second.getHeader("ETag")).isEqualTo(first.getHeader("ETag"));
    assertThat(second.getContentType()).isEqualTo(first.getContentType());
    assertThat(answers.size()).isEqualTo(kept);
    // the issue itself is read at most once (StoredIssues keeps it from an earlier test)
    verify(forecasts, atMost(1))
        .issueForecasts(eq(Variable.PM25), eq(StoredIssues.MODEL), eq(ISSUE), isNull());
  }

  /**
   * A GeoJSON answer's {@code edrqueryendpoint} is the URL the client sent: following it gives the
   * same answer (before, {@code %20} came back as {@code %2520}, and the link answered 400).
   */
  @Test
  void theGeoJsonQueryEndpointIsTheRequestAsSent() throws Exception {
    IssueFixture.stub(forecasts, ISSUE, 72);
    String sent = "/collections/pm25/position?coords=POINT(116.417%2039.929)&f=geojson";
    String body =
        mvc.perform(get(java.net.URI.create(sent)))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    String link =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(body)
            .path("features")
            .path(0)
            .path("properties")
            .path("edrqueryendpoint")
            .asText();
    assertThat(link).isEqualTo("http://localhost" + sent);
    mvc.perform(get(java.net.URI.create(link))).andExpect(status().isOk());
  }

  @Test
  void anETagInIfNoneMatchIsA304AndTheCacheControlIsHonest() throws Exception {
    IssueFixture.stub(forecasts, ISSUE, 72);
    MockHttpServletResponse answer = ok(CUBE);
    String etag = answer.getHeader("ETag");
    assertThat(answer.getHeader("Cache-Control")).isEqualTo("no-cache");

    MockHttpServletResponse notModified =
        mvc.perform(get(CUBE).header("If-None-Match", etag))
            .andExpect(status().isNotModified())
            .andExpect(header().string("ETag", etag))
            .andExpect(header().string("Cache-Control", "no-cache"))
            .andReturn()
            .getResponse();
    assertThat(notModified.getContentAsByteArray()).isEmpty();
    mvc.perform(get(CUBE).header("If-None-Match", "\"0123\"")).andExpect(status().isOk());

    String instance =
        "/collections/pm25/instances/20170301T0900Z/position?coords=POINT(116.5 40.1)";
    MockHttpServletResponse one = ok(instance);
    assertThat(one.getHeader("Cache-Control")).isEqualTo("max-age=86400, public, immutable");
    mvc.perform(get(instance).header("If-None-Match", one.getHeader("ETag")))
        .andExpect(status().isNotModified());
  }

  /**
   * RFC 9110 §13.1.2: {@code If-None-Match: *} is false for a GET when a representation exists, so
   * the answer is 304 with the ETag and Cache-Control; so is a list naming the ETag among others,
   * weak or strong (weak comparison), in one header line or several.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        CUBE,
        POSITION,
        "/collections/pm25/instances/20170301T0900Z/cube?bbox=116.1,39.8,116.7,40.3"
      })
  void aWildcardOrAListNamingTheETagIsA304(String path) throws Exception {
    IssueFixture.stub(forecasts, ISSUE, 72);
    MockHttpServletResponse answer = ok(path);
    String etag = answer.getHeader("ETag");
    String cacheControl = answer.getHeader("Cache-Control");
    for (String[] ifNoneMatch :
        new String[][] {
          {"*"},
          {"\"0123\", " + etag},
          {"\"0123\",W/" + etag + ", \"4567\""},
          {"W/" + etag},
          {"\"0123\"", etag}
        }) {
      MockHttpServletResponse notModified =
          mvc.perform(get(path).header("If-None-Match", (Object[]) ifNoneMatch))
              .andExpect(status().isNotModified())
              .andExpect(header().string("ETag", etag))
              .andExpect(header().string("Cache-Control", cacheControl))
              .andReturn()
              .getResponse();
      assertThat(notModified.getContentAsByteArray()).as(String.join(" | ", ifNoneMatch)).isEmpty();
    }
    mvc.perform(get(path).header("If-None-Match", "\"0123\", W/\"4567\""))
        .andExpect(status().isOk());
  }

  @Test
  void onceANewerIssueIsStoredTheNewestQueriesAnswerFromIt() throws Exception {
    IssueFixture.stub(forecasts, ISSUE, 72);
    MockHttpServletResponse before = ok(CUBE);
    mvc.perform(get(POSITION))
        .andExpect(jsonPath("$['terrafield:issueTime']").value(ISSUE.toString()));

    Instant next = ISSUE.plus(Duration.ofHours(1));
    IssueFixture.stub(forecasts, next, 72);
    MockHttpServletResponse after = ok(CUBE);

    assertThat(after.getHeader("ETag")).isNotEqualTo(before.getHeader("ETag"));
    assertThat(after.getContentAsString()).contains("\"terrafield:issueTime\":\"" + next + "\"");
    mvc.perform(get(CUBE).header("If-None-Match", before.getHeader("ETag")))
        .andExpect(status().isOk())
        .andExpect(header().string("ETag", after.getHeader("ETag")));
    mvc.perform(get(POSITION))
        .andExpect(jsonPath("$['terrafield:issueTime']").value(next.toString()));
    verify(forecasts, times(1))
        .issueForecasts(eq(Variable.PM25), eq(StoredIssues.MODEL), eq(next), any());
  }
}
