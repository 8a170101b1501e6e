package io.terrafield.api.forecasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.api.Schemas;
import io.terrafield.api.collections.EdrQueries;
import io.terrafield.api.problems.ProblemHandler;
import io.terrafield.api.security.SecurityConfiguration;
import io.terrafield.forecasting.Station;
import io.terrafield.forecasting.serving.ForecastDomain;
import io.terrafield.store.ForecastStore;
import io.terrafield.store.ObservationStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Cube and area queries against the served forecast domain, as the position query: a bbox or
 * polygon that does not meet the domain is a 400 naming the parameter, its value and the domain's
 * box; one that partly overlaps is answered on its intersection with the domain's box (the grid's
 * centres where there are forecasts) and says so; one inside is answered as asked. The domain of
 * the {@link IssueFixture} issue: within about 94 km of Dongsi and Huairou.
 */
@WebMvcTest(
    controllers = {PositionController.class, GridController.class, InstancesController.class},
    properties = {"terrafield.forecast.variables=pm25", "terrafield.forecast.newest-refresh=0"})
@Import({
  ProblemHandler.class,
  SecurityConfiguration.class,
  EdrQueries.class,
  StoredIssues.class,
  EncodedAnswers.class,
  GridDomainTest.Time.class
})
class GridDomainTest {

  static final Instant ISSUE = Instant.parse("2017-03-01T09:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();

  /** The served domain's box of the fixture issue (as ForecastDomain computes it). */
  static final double[] SERVED =
      ForecastDomain.around(
              List.of(
                  new Station("Dongsi", IssueFixture.DONGSI.lon(), IssueFixture.DONGSI.lat()),
                  new Station("Huairou", IssueFixture.HUAIROU.lon(), IssueFixture.HUAIROU.lat())),
              0)
          .bbox();

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
    IssueFixture.stub(forecasts, ISSUE, 3);
  }

  private JsonNode ok(String path) throws Exception {
    String body =
        mvc.perform(get(path))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    return JSON.readTree(body);
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  @Test
  void aWholeWorldCubeIsAnsweredOnTheServedDomainWithForecastsAtMostCentres() throws Exception {
    String path = "/collections/pm25/cube?bbox=-180,-90,180,90&resolution-x=20&resolution-y=20";
    JsonNode coverage = ok(path);
    Schemas.assertValid("covjson/coveragejson", coverage.toString());

    double[] xs = doubles(coverage.at("/domain/axes/x/values"));
    double[] ys = doubles(coverage.at("/domain/axes/y/values"));
    assertThat(xs).hasSize(20);
    assertThat(ys).hasSize(20);
    for (double x : xs) {
      assertThat(x).isBetween(SERVED[0], SERVED[2]);
    }
    for (double y : ys) {
      assertThat(y).isBetween(SERVED[1], SERVED[3]);
    }
    JsonNode clipped = coverage.get("terrafield:clipped");
    assertThat(doubles(clipped.get("requested"))).containsExactly(-180, -90, 180, 90);
    assertThat(doubles(clipped.get("answered")))
        .isEqualTo(doubles(clipped.get("servedDomain")))
        .containsExactly(
            new double[] {SERVED[0], SERVED[1], SERVED[2], SERVED[3]},
            org.assertj.core.data.Offset.offset(1e-6));

    // the domain is two discs in their box: most centres have a forecast (before: none)
    JsonNode mean = coverage.at("/ranges/pm25_mean/values");
    int withValue = 0;
    for (int i = 0; i < 400; i++) {
      if (!mean.get(i).isNull()) {
        withValue++;
      }
    }
    assertThat(withValue).isGreaterThan(200);
  }

  @Test
  void aPartlyOverlappingCubeIsClippedAndSaysSoInCoverageJsonAndGeoJson() throws Exception {
    String cube = "/collections/pm25/cube?bbox=116.2,39.8,120,40.2&resolution-x=4&resolution-y=2";
    JsonNode coverage = ok(cube);
    assertThat(doubles(coverage.at("/terrafield:clipped/answered")))
        .containsExactly(
            new double[] {116.2, 39.8, Math.round(SERVED[2] * 1e6) / 1e6, 40.2},
            org.assertj.core.data.Offset.offset(1e-9));
    double step = (SERVED[2] - 116.2) / 4;
    assertThat(coverage.at("/domain/axes/x/values/0").asDouble())
        .isCloseTo(116.2 + step / 2, org.assertj.core.data.Offset.offset(1e-6));

    String geoJson =
        mvc.perform(get(cube + "&f=geojson"))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    Schemas.assertValid("ogcapi-edr/edr-geojson/edrFeatureCollectionGeoJSON.yaml", geoJson);
    assertThat(JSON.readTree(geoJson).at("/terrafield:clipped/servedDomain/2").asDouble())
        .isCloseTo(SERVED[2], org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void aCubeOrAreaInsideTheDomainIsAnsweredAsAsked() throws Exception {
    JsonNode cube =
        ok("/collections/pm25/cube?bbox=116.1,39.8,116.7,40.3&resolution-x=6&resolution-y=5");
    assertThat(cube.has("terrafield:clipped")).isFalse();
    assertThat(cube.at("/domain/axes/x/values/0").asDouble()).isEqualTo(116.15);
    JsonNode area =
        ok("/collections/pm25/area?coords=POLYGON((116.1 39.8,116.5 39.8,116.5 40.1,116.1 39.8))");
    assertThat(area.has("terrafield:clipped")).isFalse();
  }

  @Test
  void aPartlyOverlappingAreaIsAnsweredOnThePolygonInTheDomain() throws Exception {
    // a triangle from inside the domain far to the east
    JsonNode area =
        ok(
            "/collections/pm25/area?coords=POLYGON((116.4 39.9,125 39.9,116.4 40.3,116.4 39.9))"
                + "&resolution-x=5&resolution-y=4");
    Schemas.assertValid("covjson/coveragejson", area.toString());
    double[] answered = doubles(area.at("/terrafield:clipped/answered"));
    assertThat(answered[0]).isEqualTo(116.4);
    assertThat(answered[2]).isCloseTo(SERVED[2], org.assertj.core.data.Offset.offset(1e-6));
    for (double x : doubles(area.at("/domain/axes/x/values"))) {
      assertThat(x).isBetween(116.4, SERVED[2]);
    }
    assertThat(area.at("/ranges/pm25_mean/values/0").isNull()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/collections/pm25/cube?bbox=0,0,10,10|bbox: '0,0,10,10'",
        "/collections/pm25/instances/20170301T0900Z/cube?bbox=-180,-90,100,30|bbox:"
            + " '-180,-90,100,30'",
        // inside the domain's box, in a corner no station's radius reaches
        "/collections/pm25/cube?bbox=115.32,39.1,115.4,39.15|bbox: '115.32,39.1,115.4,39.15'",
        "/collections/pm25/area?coords=POLYGON((0 0,10 0,10 10,0 0))|coords: 'POLYGON((0 0,10"
            + " 0,10 10,0 0))'",
        // the polygon's box meets the domain's box, the polygon does not
        "/collections/pm25/area?coords=POLYGON((117.7 39.0,125 39.0,125 41.1,117.7 39.0))|coords:"
            + " 'POLYGON((117.7 39.0,125 39.0,125 41.1,117.7 39.0))'"
      })
  void aBoxOrPolygonOutsideTheServedDomainIsA400NamingItAndTheDomain(String row) throws Exception {
    String path = row.substring(0, row.indexOf('|'));
    String named = row.substring(row.indexOf('|') + 1);
    String problem =
        mvc.perform(get(path))
            .andExpect(status().isBadRequest())
            .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
            .andReturn()
            .getResponse()
            .getContentAsString();
    Schemas.assertValid("problem.json", problem);
    assertThat(JSON.readTree(problem).get("detail").asText())
        .startsWith(named + " does not intersect the served forecast domain (within 9")
        .contains("bounding box " + GridController.boxText(SERVED));
  }
}
