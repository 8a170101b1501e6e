package io.terrafield.api.forecasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.terrafield.api.collections.EdrQueries;
import io.terrafield.api.problems.ProblemHandler;
import io.terrafield.api.security.SecurityConfiguration;
import io.terrafield.store.ForecastStore;
import io.terrafield.store.ObservationStore;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The forecast answers are the same bytes as before the encoded-answer cache and the unboxed
 * encoding: SHA-256 of each answer of a synthetic 72 h issue, captured from the code of main at
 * 26dce24 (run with {@code -Dterrafield.capture=true} to print them again).
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
  ForecastAnswerBytesTest.Time.class
})
class ForecastAnswerBytesTest {

  static final Instant ISSUE = Instant.parse("2017-02-28T15:00:00Z");
  static final String INSTANCE = "/collections/pm25/instances/20170228T1500Z";
  static final String CUBE = "/cube?bbox=116.1,39.8,116.7,40.3&resolution-x=10&resolution-y=10";
  static final String WIDE_CUBE = "/cube?bbox=115,39,118,41&resolution-x=7&resolution-y=5";
  static final String AREA =
      "/area?coords=POLYGON((116.1 39.8,116.5 39.8,116.5 40.1,116.1 39.8))"
          + "&resolution-x=6&resolution-y=4";
  static final String STATION = "/position?coords=POINT(116.417 39.929)";
  static final String FIELD = "/position?coords=POINT(116.5 40.1)";
  static final String HOURS = "&datetime=2017-02-28T16:00:00Z/2017-02-28T18:00:00Z";

  /**
   * Path → SHA-256 of the answer's bytes. Captured from 26dce24, before the cache; the three
   * GeoJSON answers of queries with a space (area, position) were captured again when their {@code
   * edrqueryendpoint} stopped encoding {@code %20} a second time ({@code SelfLinks}); the three
   * answers of {@code WIDE_CUBE}, which reaches beyond the served domain's box, were captured again
   * when cube and area began to answer on the asked box clipped to that box (GridDomainTest checks
   * what the clipped answers hold; every other answer kept its bytes).
   */
  static final Map<String, String> GOLDEN = new LinkedHashMap<>();

  static {
    String[][] golden = {
      {
        "/collections/pm25" + CUBE,
        "b20b14677f4b3d6c7c8370a27331516cbca88f3aa85201eb36e23dccef1c6ff0"
      },
      {
        "/collections/pm25" + CUBE + "&f=csv",
        "9978e4fcdfc0d347b1b0d759c3db47624b6b711529e54d645b026f75df9007c4"
      },
      {
        "/collections/pm25" + CUBE + HOURS + "&f=geojson",
        "5e2651f82c7324352280fb69d5b9d14bef49d605a39b5556bd0eca3bb1e68d74"
      },
      {
        "/collections/pm25" + WIDE_CUBE,
        "b6d2f96ed52b42871066dc7b1553305477be6eeac3c70702ce56943e9aba25e9"
      },
      {
        "/collections/pm25" + WIDE_CUBE + HOURS + "&f=geojson",
        "c269e3d065a8fa4d1454f5b6450c6cd9ce7622ff6cc81fa63c2288432cb46f03"
      },
      {
        "/collections/pm25" + WIDE_CUBE + "&f=csv",
        "f92d1b0dcb078455e76d41aaff80c29b9b1d03a673d298ddcf7d449e0f4e0291"
      },
      {
        "/collections/pm25" + AREA,
        "a1382a2741d0e9443e7c02413c6f46a023a92c0cf522a8bafc05d4417640ef36"
      },
      {
        "/collections/pm25" + AREA + HOURS + "&f=geojson",
        "11831b475cc89d392a03d221f425166267527d7b13799fb02e0d34712b4e46ec"
      },
      {
        "/collections/pm25" + AREA + "&f=csv",
        "fc1b0ca30e472b2034b65c6e1884f192e00b4a6c3f45e763ac246c1218b00cef"
      },
      {INSTANCE + CUBE + HOURS, "b7c0c7e6b50668a5fd0082bdebdfd12852d166a194c3fa67df8c213d0c8dd4e7"},
      {INSTANCE + AREA, "a1382a2741d0e9443e7c02413c6f46a023a92c0cf522a8bafc05d4417640ef36"},
      {
        "/collections/pm25" + STATION,
        "a1e15f56ae62e9bf212faeaba3a0d215f0dfbd788c94cf6db1a2f06cdd47f719"
      },
      {
        "/collections/pm25" + STATION + "&f=geojson",
        "6c1420a6620e93c40d8c77d5c0c9514e6de8cd11572657ad9a26673159a7d8ba"
      },
      {
        "/collections/pm25" + STATION + "&f=csv",
        "97023f63c8be223c4b2a69caf7876adeff936c854b14647b01cf73033d8891dd"
      },
      {
        "/collections/pm25" + FIELD,
        "7b2de7424049d974a52bb2626c6ca5f5b3744c795ee982f9999b3b1273e0e681"
      },
      {
        "/collections/pm25" + FIELD + HOURS + "&f=geojson",
        "e2fc19c0b8f6adf35592042b9ef0415eb3ec3633e56613af18c03530ce6122a2"
      },
      {
        "/collections/pm25" + FIELD + "&f=csv",
        "bfdda21dfb0503245bd4d80bdfd6d84281b29c4ea66277d71c45820d5a8797a1"
      },
      {
        INSTANCE + FIELD + "&f=covjson",
        "7b2de7424049d974a52bb2626c6ca5f5b3744c795ee982f9999b3b1273e0e681"
      },
    };
    for (String[] g : golden) {
      GOLDEN.put(g[0], g[1]);
    }
  }

  @TestConfiguration
  static class Time {
    @Bean
    Clock clock() {
      return Clock.fixed(ISSUE, ZoneOffset.UTC);
    }
  }

  @Autowired MockMvc mvc;
  @MockitoBean ObservationStore observations;
  @MockitoBean ForecastStore forecasts;

  @BeforeEach
  void issue() {
    IssueFixture.stub(forecasts, ISSUE, 72);
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void theAnswersAreTheBytesOfBeforeTheCache() throws Exception {
    Map<String, String> actual = new LinkedHashMap<>();
    for (String path : GOLDEN.keySet()) {
      byte[] body =
          mvc.perform(get(path))
              .andExpect(status().isOk())
              .andReturn()
              .getResponse()
              .getContentAsByteArray();
      actual.put(path, sha256(body));
    }
    if (Boolean.getBoolean("terrafield.capture")) {
      actual.forEach(
          (path, hash) -> System.out.println("GOLDEN {\"" + path + "\", \"" + hash + "\"},"));
      return;
    }
    assertThat(actual).containsExactlyEntriesOf(GOLDEN);
  }
}
