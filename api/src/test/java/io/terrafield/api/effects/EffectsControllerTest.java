package io.terrafield.api.effects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.terrafield.api.problems.ProblemHandler;
import io.terrafield.api.security.SecurityConfiguration;
import io.terrafield.store.Stores;
import io.terrafield.store.TerrafieldStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@WebMvcTest(
    controllers = EffectsController.class,
    properties = {
      "terrafield.security.clients.tester.key=" + EffectsControllerTest.KEY,
      "terrafield.security.clients.tester.roles=write",
      "terrafield.security.clients.reader.key=" + EffectsControllerTest.READER_KEY,
      "terrafield.security.clients.reader.roles=read",
      "terrafield.limits.max-body-size=256KB",
      "spring.jackson.deserialization.fail-on-unknown-properties=true"
    })
@Import({ProblemHandler.class, SecurityConfiguration.class, EffectsControllerTest.Effects.class})
class EffectsControllerTest {

  static final String KEY = "test-write-key";
  static final String READER_KEY = "test-read-key";
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  /** The service on an in-memory H2GIS store; estimation runs on the calling thread. */
  @TestConfiguration
  static class Effects {
    @Bean(destroyMethod = "close")
    TerrafieldStore store() {
      return Stores.open(
          "jdbc:h2:mem:effects-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    @Bean
    Clock clock() {
      return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    @Bean
    EffectService effectService(TerrafieldStore store, Clock clock) {
      return new EffectService(store, Runnable::run, 4, clock, new SimpleMeterRegistry());
    }
  }

  @Autowired MockMvc mvc;

  static MockHttpServletRequestBuilder postEffects(String body) {
    return post("/effects")
        .header("X-API-Key", KEY)
        .contentType(MediaType.APPLICATION_JSON)
        .content(body);
  }

  /** C ~ N(0,1), A ~ Bernoulli(sigmoid(C)), Y = 2A + C + N(0,1): the ATE is 2, DiM is biased. */
  static List<Map<String, Object>> confounded(int n, long seed) {
    Random rnd = new Random(seed);
    List<Map<String, Object>> units = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double c = rnd.nextGaussian();
      int a = rnd.nextDouble() < 1 / (1 + Math.exp(-c)) ? 1 : 0;
      double y = 2 * a + c + rnd.nextGaussian();
      units.add(Map.of("a", a, "y", y, "c", c));
    }
    return units;
  }

  @Test
  void aipwRecoversTheKnownEffectAndAnswersWithTheReportFields() throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of(
                "units", confounded(2000, 7),
                "treatment", "a",
                "outcome", "y",
                "covariates", List.of("c"),
                "estimator", "aipw"));
    MvcResult posted =
        mvc.perform(postEffects(body))
            .andExpect(status().isAccepted())
            .andExpect(header().string("Location", startsWith("http://localhost/effects/")))
            .andReturn();
    String location = posted.getResponse().getHeader("Location");
    String response =
        mvc.perform(get(location))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.status").value("succeeded"))
            .andExpect(jsonPath("$.request.treatment").value("a"))
            .andExpect(jsonPath("$.timings.created").value(NOW.toString()))
            .andExpect(jsonPath("$.timings.runMs").value(0))
            .andReturn()
            .getResponse()
            .getContentAsString();
    JsonNode r = JSON.readTree(response).get("result");
    assertThat(r.get("estimate").asDouble()).isBetween(1.8, 2.2);
    assertThat(r.get("ci_low").asDouble()).isLessThan(2.0);
    assertThat(r.get("ci_high").asDouble()).isGreaterThan(2.0);
    assertThat(r.get("n").asInt()).isEqualTo(2000);
    assertThat(r.get("estimator").asText()).isEqualTo("aipw");
    assertThat(r.has("diagnostics")).isTrue();
  }

  @Test
  void missingTreatmentIsAProblemNamingTheField() throws Exception {
    String body = JSON.writeValueAsString(Map.of("units", confounded(10, 1), "outcome", "y"));
    mvc.perform(postEffects(body))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value("treatment: missing"));
  }

  @Test
  void aNonBinaryTreatmentIsRejectedWithItsValue() throws Exception {
    List<Map<String, Object>> units = new ArrayList<>(confounded(50, 2));
    units.set(3, Map.of("a", 2, "y", 1.0, "c", 0.0));
    String body =
        JSON.writeValueAsString(
            Map.of("units", units, "treatment", "a", "outcome", "y", "covariates", List.of("c")));
    mvc.perform(postEffects(body))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.detail")
                .value(
                    "units[3].a: treatment value 2.0 is not binary"
                        + " (expected 0/1 or true/false)"));
  }

  @Test
  void aRequestWithOneArmIsRefusedAtOnce() throws Exception {
    String body =
        "{\"units\":[{\"a\":1,\"y\":2},{\"a\":1,\"y\":3}],"
            + "\"treatment\":\"a\",\"outcome\":\"y\",\"estimator\":\"dim\"}";
    mvc.perform(postEffects(body))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.detail")
                .value(
                    "treatment: column 'a' is 1 for all 2 units:"
                        + " an effect needs treated and control units"));
  }

  @Test
  void aValueThatIsNotANumberIsRejectedNamingUnitAndColumn() throws Exception {
    String body =
        "{\"units\":[{\"a\":1,\"y\":2},{\"a\":0,\"y\":\"abc\"}],"
            + "\"treatment\":\"a\",\"outcome\":\"y\"}";
    mvc.perform(postEffects(body))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value("units[1].y: 'abc' is not a number"));
  }

  @Test
  void malformedJsonIsABadRequestWithLineAndColumn() throws Exception {
    mvc.perform(postEffects("{\"units\": [\n  {\"a\": 1,, \"y\": 2}]}"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail", startsWith("$.units[0]: Unexpected character (','")))
        .andExpect(jsonPath("$.detail", containsString("(line 2, column 11)")));
  }

  @Test
  void anEmptyBodyIsABadRequestThatNamesNoJavaMethod() throws Exception {
    mvc.perform(postEffects(""))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail", startsWith("body: missing")))
        .andExpect(jsonPath("$.detail", not(containsString("io.terrafield"))));
  }

  @Test
  void anUnknownFieldIsRejectedByNameWithItsJsonPath() throws Exception {
    String body =
        "{\"units\":[{\"a\":1,\"y\":2}],\"treatment\":\"a\",\"outcome\":\"y\","
            + "\"covariate\":[\"c\"]}";
    mvc.perform(postEffects(body))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail", startsWith("$.covariate: unknown field 'covariate'")))
        .andExpect(jsonPath("$.detail", containsString("covariates")));
  }

  @Test
  void aWrongTypeNamesTheJsonPath() throws Exception {
    String body = "{\"units\":[{\"a\":1,\"y\":2}],\"treatment\":[1],\"outcome\":\"y\"}";
    mvc.perform(postEffects(body))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail", startsWith("$.treatment: ")));
  }

  @Test
  void valuesTooLargeToEstimateWithAreABadRequest() throws Exception {
    String body =
        "{\"units\":[{\"t\":1,\"y\":1e308},{\"t\":0,\"y\":-1e308},{\"t\":1,\"y\":1e308}],"
            + "\"treatment\":\"t\",\"outcome\":\"y\"}";
    mvc.perform(postEffects(body))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail", startsWith("units[*].y: values too large")));
  }

  @Test
  void anInfiniteNumberIsABadRequest() throws Exception {
    String body =
        "{\"units\":[{\"t\":1,\"y\":1e999},{\"t\":0,\"y\":0}],"
            + "\"treatment\":\"t\",\"outcome\":\"y\"}";
    mvc.perform(postEffects(body))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail", startsWith("units[0].y: ")))
        .andExpect(jsonPath("$.detail", containsString("not a finite number")));
  }

  @Test
  void withoutAKeyAPostIsA401Problem() throws Exception {
    mvc.perform(post("/effects").contentType(MediaType.APPLICATION_JSON).content("{}"))
        .andExpect(status().isUnauthorized())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(header().string("WWW-Authenticate", containsString("X-API-Key")))
        .andExpect(jsonPath("$.detail", containsString("needs an API key")))
        .andExpect(content().string(not(containsString("\"properties\"")))); // not null
  }

  @Test
  void aWrongKeyIsA401AndAReadOnlyKeyA403() throws Exception {
    mvc.perform(
            post("/effects")
                .header("X-API-Key", "not-a-key")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{}"))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.detail", containsString("not one of the configured keys")));
    mvc.perform(
            post("/effects")
                .header("X-API-Key", READER_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{}"))
        .andExpect(status().isForbidden())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
  }

  @Test
  void aBodyAboveTheLimitIsA413BeforeAuthentication() throws Exception {
    byte[] big = new byte[257 * 1024];
    java.util.Arrays.fill(big, (byte) ' ');
    mvc.perform(post("/effects").contentType(MediaType.APPLICATION_JSON).content(big))
        .andExpect(status().isPayloadTooLarge())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail", containsString("262144 bytes")))
        .andExpect(content().string(not(containsString("\"properties\""))));
  }

  @Test
  void anIdempotencyKeyReturnsTheSameResourceAndRefusesADifferentRequest() throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of("units", confounded(50, 3), "treatment", "a", "outcome", "y"));
    String first =
        mvc.perform(postEffects(body).header("Idempotency-Key", "k-1"))
            .andExpect(status().isAccepted())
            .andReturn()
            .getResponse()
            .getHeader("Location");
    mvc.perform(postEffects(body).header("Idempotency-Key", "k-1"))
        .andExpect(status().isAccepted())
        .andExpect(header().string("Location", first));
    String other =
        JSON.writeValueAsString(
            Map.of("units", confounded(50, 4), "treatment", "a", "outcome", "y"));
    mvc.perform(postEffects(other).header("Idempotency-Key", "k-1"))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(jsonPath("$.detail", containsString("'k-1'")));
    mvc.perform(get("/effects"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.effects[0].links[0].href").value(first));
  }

  @Test
  void aLimitAboveTheMaximumIsCappedAndOneBelowOneIsA400() throws Exception {
    mvc.perform(get("/effects?limit=99999999999999999999")).andExpect(status().isOk());
    mvc.perform(get("/effects?limit=0"))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.detail")
                .value("limit: 0 is not a positive integer (above 1000 means 1000)"));
    mvc.perform(get("/effects?limit=many"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value("limit: 'many' is not an integer"));
  }

  @Test
  void anUnknownEffectIsA404Problem() throws Exception {
    mvc.perform(get("/effects/nope"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value("effect: no effect with id 'nope'"));
  }

  @Test
  void aWrongMediaTypeIsA415AndAWrongMethodA405Problem() throws Exception {
    mvc.perform(
            post("/effects")
                .header("X-API-Key", KEY)
                .contentType(MediaType.TEXT_PLAIN)
                .content("units"))
        .andExpect(status().isUnsupportedMediaType())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    mvc.perform(
            org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete("/effects/x")
                .header("X-API-Key", KEY))
        .andExpect(status().isMethodNotAllowed())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
  }
}
