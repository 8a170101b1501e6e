package io.terrafield.api.alerts;

import static org.hamcrest.Matchers.contains;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.terrafield.api.Schemas;
import io.terrafield.api.problems.ProblemHandler;
import io.terrafield.api.security.SecurityConfiguration;
import io.terrafield.store.Alert;
import io.terrafield.store.AlertState;
import io.terrafield.store.AlertStore;
import io.terrafield.store.ForecastStore;
import io.terrafield.store.Variable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@code GET /alerts?target-type=station|cell}: the alerts of stations or of grid cells only
 * (before {@code limit}; {@code numberMatched} counts the kept ones), both without it, a 400 naming
 * any other value. A message's {@code target_kind} decides, else the form of the target id.
 */
@WebMvcTest(controllers = AlertsController.class)
@Import({ProblemHandler.class, SecurityConfiguration.class, AlertsControllerTest.Time.class})
class AlertsControllerTest {

  static final Instant NOW = Instant.parse("2017-03-01T09:00:00Z");

  @TestConfiguration
  static class Time {
    @Bean
    Clock clock() {
      return Clock.fixed(NOW, ZoneOffset.UTC);
    }
  }

  @Autowired MockMvc mvc;
  @MockitoBean AlertStore alerts;
  @MockitoBean ForecastStore forecasts;
  @MockitoBean AlertBroadcaster broadcaster;

  static Alert alert(String id, String target, String kind, int minutesAgo) {
    String payload =
        kind == null
            ? null
            : "{\"data\":{\"target\":\"" + target + "\",\"target_kind\":\"" + kind + "\"}}";
    return new Alert(
        id,
        "episode-" + id,
        AlertState.values()[0],
        target,
        Variable.PM25,
        NOW.plusSeconds(3600),
        75,
        0.8,
        NOW.minusSeconds(60L * minutesAgo),
        null,
        null,
        payload);
  }

  @BeforeEach
  void stored() {
    when(alerts.alertsIssuedSince(any(), anyInt()))
        .thenReturn(
            List.of(
                alert("c1", "cell_0.05_5928_2597", "cell", 1),
                alert("s1", "Dongsi", "station", 2),
                alert("c2", "cell_0.05_5929_2597", "cell", 3),
                // no payload: the id's form decides
                alert("c3", "cell_0.05_5930_2597", null, 4),
                alert("s2", "Huairou", null, 5)));
  }

  @Test
  void withoutTargetTypeBothAsBefore() throws Exception {
    mvc.perform(get("/alerts"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.numberMatched").value(5))
        .andExpect(jsonPath("$['target-type']").doesNotExist());
  }

  @Test
  void stationsOrCellsOnlyBeforeTheLimit() throws Exception {
    mvc.perform(get("/alerts?target-type=station&limit=1"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.numberMatched").value(2))
        .andExpect(jsonPath("$.numberReturned").value(1))
        .andExpect(jsonPath("$['target-type']").value("station"))
        .andExpect(jsonPath("$.features[*].id", contains("s1")));
    mvc.perform(get("/alerts?target-type=station"))
        .andExpect(jsonPath("$.features[*].id", contains("s1", "s2")));
    mvc.perform(get("/alerts?target-type=cell"))
        .andExpect(jsonPath("$.numberMatched").value(3))
        .andExpect(jsonPath("$.features[*].id", contains("c1", "c2", "c3")));
  }

  @Test
  void anUnknownTargetTypeIsA400NamingIt() throws Exception {
    String problem =
        mvc.perform(get("/alerts?target-type=stations"))
            .andExpect(status().isBadRequest())
            .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
            .andExpect(
                jsonPath("$.detail")
                    .value("target-type: 'stations' is not one of [station, cell] (absent: both)"))
            .andReturn()
            .getResponse()
            .getContentAsString();
    Schemas.assertValid("problem.json", problem);
  }

  @Test
  void fOtherThanGeoJsonOrJsonAndUnknownParametersAre400s() throws Exception {
    mvc.perform(get("/alerts?f=CSV"))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.detail")
                .value("f: 'CSV' is not an output format of /alerts; use one of [GeoJSON, json]"));
    mvc.perform(get("/alerts?f=geojson")).andExpect(status().isOk());
    mvc.perform(get("/alerts?f=json&limit=200")).andExpect(status().isOk()); // the dashboard's
    mvc.perform(get("/alerts?foo=bar"))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.detail")
                .value(
                    "foo: 'bar' is not a parameter of GET /alerts; accepted: [since, limit,"
                        + " target-type, f]"));
  }

  @Test
  void aLimitAboveTheMaximumIsCappedNotRefused() throws Exception {
    mvc.perform(get("/alerts?limit=100000000"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.numberReturned").value(5));
    verifyCap(AlertsController.MAX_LIMIT);
    for (String bad : new String[] {"0", "-3"}) {
      mvc.perform(get("/alerts?limit=" + bad))
          .andExpect(status().isBadRequest())
          .andExpect(
              jsonPath("$.detail")
                  .value("limit: " + bad + " is not a positive integer (above 1000 means 1000)"));
    }
    mvc.perform(get("/alerts?limit=abc"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value("limit: 'abc' is not an integer"));
  }

  private static void verifyCap(int max) {
    org.assertj.core.api.Assertions.assertThat(
            io.terrafield.api.problems.QueryParameters.limit(
                java.math.BigInteger.TEN.pow(30), 100, max))
        .isEqualTo(max);
  }
}
