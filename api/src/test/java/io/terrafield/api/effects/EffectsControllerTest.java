package io.terrafield.api.effects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.api.problems.ProblemHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(controllers = EffectsController.class)
@Import(ProblemHandler.class)
class EffectsControllerTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @Autowired MockMvc mvc;

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
    String response =
        mvc.perform(post("/effects").contentType(MediaType.APPLICATION_JSON).content(body))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    JsonNode r = JSON.readTree(response);
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
    mvc.perform(post("/effects").contentType(MediaType.APPLICATION_JSON).content(body))
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
    mvc.perform(post("/effects").contentType(MediaType.APPLICATION_JSON).content(body))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.detail")
                .value(
                    "treatment column 'a' row 4: value 2.0 is not binary"
                        + " (expected 0/1 or true/false)"));
  }

  @Test
  void aValueThatIsNotANumberIsRejectedNamingUnitAndColumn() throws Exception {
    String body =
        "{\"units\":[{\"a\":1,\"y\":2},{\"a\":0,\"y\":\"abc\"}],"
            + "\"treatment\":\"a\",\"outcome\":\"y\"}";
    mvc.perform(post("/effects").contentType(MediaType.APPLICATION_JSON).content(body))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value("units[1].y: 'abc' is not a number"));
  }

  @Test
  void malformedJsonIsABadRequest() throws Exception {
    mvc.perform(post("/effects").contentType(MediaType.APPLICATION_JSON).content("{\"units\":["))
        .andExpect(status().isBadRequest());
  }
}
