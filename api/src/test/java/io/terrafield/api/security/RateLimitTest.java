package io.terrafield.api.security;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.terrafield.api.Schemas;
import io.terrafield.api.edr.LandingController;
import io.terrafield.api.problems.ProblemHandler;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A burst beyond the per-client rate limit is a 429 problem with Retry-After; the clock is fixed,
 * so no token comes back during the test and nothing depends on wall-clock time.
 */
@WebMvcTest(
    controllers = LandingController.class,
    properties = {
      "terrafield.limits.requests-per-minute=3",
      "terrafield.security.read-open=false",
      "terrafield.security.clients.viewer.key=viewer-key-1",
      "terrafield.security.clients.viewer.roles=read",
      "terrafield.security.clients.other.key=other-key-2",
      "terrafield.security.clients.other.roles=read"
    })
@Import({ProblemHandler.class, SecurityConfiguration.class, RateLimitTest.FixedClock.class})
class RateLimitTest {

  @TestConfiguration
  static class FixedClock {
    @Bean
    Clock clock() {
      return Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC);
    }
  }

  @Autowired MockMvc mvc;

  @Test
  void aBurstBeyondTheLimitIs429WithRetryAfterPerClient() throws Exception {
    for (int i = 0; i < 3; i++) {
      mvc.perform(get("/conformance").header("X-API-Key", "viewer-key-1"))
          .andExpect(status().isOk());
    }
    String problem =
        mvc.perform(get("/conformance").header("X-API-Key", "viewer-key-1"))
            .andExpect(status().isTooManyRequests())
            .andExpect(header().string("Retry-After", "20"))
            .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
            .andExpect(jsonPath("$.detail", containsString("client 'key:viewer'")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    Schemas.assertValid("problem.json", problem);

    mvc.perform(get("/conformance").header("X-API-Key", "other-key-2")).andExpect(status().isOk());
  }

  @Test
  void withReadsClosedAnAnonymousGetIs401() throws Exception {
    mvc.perform(get("/conformance"))
        .andExpect(status().isUnauthorized())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
  }
}
