package io.terrafield.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.api.problems.ProblemHandler;
import io.terrafield.api.security.SecurityConfiguration;
import io.terrafield.store.Alert;
import io.terrafield.store.AlertState;
import io.terrafield.store.AlertStore;
import io.terrafield.store.ForecastStore;
import io.terrafield.store.Variable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * One meaning per field on both channels of one stored alert of a replay (data time 2016, clock
 * 2026): {@code issue_time} (and the CloudEvent's {@code time}) is the forecast's issue time, the
 * data time; {@code issued_at} is the job's clock when it computed the issue. {@code GET /alerts}
 * and {@code GET /alerts/stream} give the same values.
 */
@WebMvcTest(controllers = AlertsController.class)
@Import({
  ProblemHandler.class,
  SecurityConfiguration.class,
  AlertsControllerTest.Time.class,
  AlertBroadcaster.class
})
class AlertIssueTimeTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant ISSUE = Instant.parse("2016-01-01T03:00:00Z");
  static final String COMPUTED = "2026-12-01T03:43:02Z";

  @Autowired MockMvc mvc;
  @Autowired AlertBroadcaster broadcaster;
  @MockitoBean AlertStore alerts;
  @MockitoBean ForecastStore forecasts;

  static Alert alert(String id, Instant issue) {
    String payload =
        "{\"specversion\":\"1.0\",\"id\":\""
            + id
            + "\",\"source\":\"/terrafield/alerts/pm25\",\"type\":\"io.terrafield.alert.exceedance\","
            + "\"datacontenttype\":\"application/json\",\"subject\":\"Dongsi\",\"time\":\""
            + issue
            + "\",\"data\":{\"state\":\"raised\",\"target\":\"Dongsi\",\"target_kind\":\"station\","
            + "\"lon\":116.417,\"lat\":39.929,\"variable\":\"pm25\",\"threshold\":75.0,"
            + "\"probability\":0.8,\"valid_time\":\""
            + issue.plusSeconds(3 * 3600)
            + "\",\"issue_time\":\""
            + issue
            + "\",\"issued_at\":\""
            + COMPUTED
            + "\"}}";
    return new Alert(
        id,
        "episode-" + id,
        AlertState.RAISED,
        "Dongsi",
        Variable.PM25,
        issue.plusSeconds(3 * 3600),
        75,
        0.8,
        issue,
        null,
        null,
        payload);
  }

  @Test
  void bothChannelsGiveTheSameIssueTimeAndIssuedAtForOneAlert() throws Exception {
    Alert before = alert("a0", ISSUE.minusSeconds(3600));
    Alert one = alert("a1", ISSUE);
    when(alerts.alertsIssuedSince(any(), anyInt())).thenReturn(List.of(before, one));
    when(alerts.alert("a0")).thenReturn(Optional.of(before));

    JsonNode listed =
        JSON.readTree(
                mvc.perform(get("/alerts?since=2015-12-31T00:00:00Z"))
                    .andExpect(status().isOk())
                    .andReturn()
                    .getResponse()
                    .getContentAsString())
            .path("features")
            .get(0)
            .path("properties");
    assertThat(listed.path("id").asText()).isEqualTo("a1");

    // The stream replays the stored alerts after Last-Event-ID: a1, its CloudEvent as sent live.
    String stream =
        mvc.perform(get("/alerts/stream").header("Last-Event-ID", "a0"))
            .andReturn()
            .getResponse()
            .getContentAsString();
    String data =
        stream
            .lines()
            .filter(l -> l.startsWith("data:"))
            .map(l -> l.substring(5))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no alert event in " + stream));
    JsonNode event = JSON.readTree(data);
    assertThat(event.path("id").asText()).isEqualTo("a1");

    assertThat(listed.path("issue_time").asText())
        .isEqualTo(event.path("data").path("issue_time").asText())
        .isEqualTo(event.path("time").asText())
        .isEqualTo("2016-01-01T03:00:00Z");
    assertThat(listed.path("issued_at").asText())
        .isEqualTo(event.path("data").path("issued_at").asText())
        .isEqualTo(COMPUTED);
  }

  @Test
  void withoutAMessageThereIsNoIssuedAtRatherThanTheIssueTimeUnderThatName() throws Exception {
    Alert bare =
        new Alert("b1", "Dongsi", Variable.PM25, ISSUE.plusSeconds(3600), 75, 0.8, ISSUE, null);
    when(alerts.alertsIssuedSince(any(), anyInt())).thenReturn(List.of(bare));
    JsonNode listed =
        JSON.readTree(
                mvc.perform(get("/alerts?since=2015-12-31T00:00:00Z"))
                    .andReturn()
                    .getResponse()
                    .getContentAsString())
            .path("features")
            .get(0)
            .path("properties");
    assertThat(listed.path("issue_time").asText()).isEqualTo("2016-01-01T03:00:00Z");
    assertThat(listed.has("issued_at")).isFalse();
  }
}
