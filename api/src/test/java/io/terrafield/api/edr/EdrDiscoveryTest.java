package io.terrafield.api.edr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.terrafield.api.Schemas;
import io.terrafield.api.collections.CollectionsController;
import io.terrafield.api.collections.EdrQueries;
import io.terrafield.api.forecasts.EncodedAnswers;
import io.terrafield.api.forecasts.GridController;
import io.terrafield.api.forecasts.InstancesController;
import io.terrafield.api.forecasts.IssueFixture;
import io.terrafield.api.forecasts.PositionController;
import io.terrafield.api.forecasts.StoredIssues;
import io.terrafield.api.problems.ProblemHandler;
import io.terrafield.api.security.SecurityConfiguration;
import io.terrafield.store.ForecastStore;
import io.terrafield.store.LatestValue;
import io.terrafield.store.Observation;
import io.terrafield.store.ObservationStore;
import io.terrafield.store.Station;
import io.terrafield.store.Variable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
 * EDR discovery and the common query parameters, with the answers validated against the OGC API EDR
 * schemas: landing page, conformance, collections, collection, locations, instances, problem+json;
 * the forecast queries (position, cube, area, also of an instance) against the CoverageJSON schema
 * and, as GeoJSON, the EDR feature-collection schema, from a synthetic stored issue.
 */
@WebMvcTest(
    controllers = {
      LandingController.class,
      CollectionsController.class,
      PositionController.class,
      GridController.class,
      InstancesController.class
    },
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
  EdrDiscoveryTest.Time.class
})
class EdrDiscoveryTest {

  static final Instant LATEST = Instant.parse("2017-02-28T15:00:00Z");
  static final Station DONGSI =
      new Station("Dongsi", "Dongsi", 116.417, 39.929, null, "beijing", Map.of());
  static final Station HUAIROU =
      new Station("Huairou", "Huairou", 116.628, 40.328, null, "beijing", Map.of());

  @TestConfiguration
  static class Time {
    @Bean
    Clock clock() {
      return Clock.fixed(LATEST, ZoneOffset.UTC);
    }
  }

  @Autowired MockMvc mvc;
  @MockitoBean ObservationStore store;
  @MockitoBean ForecastStore forecasts;

  /** The first stored observation: Dongsi's, hourly from here to LATEST (Huairou's start later). */
  static final Instant FIRST = Instant.parse("2017-02-20T00:00:00Z");

  /** The stored observations, answered by the store mock's counts and reads. */
  static final List<Observation> OBSERVATIONS = new ArrayList<>();

  static {
    for (Instant t = FIRST; !t.isAfter(LATEST); t = t.plusSeconds(3600)) {
      OBSERVATIONS.add(new Observation("Dongsi", t, Map.of(Variable.PM25, 40.0), null, 1));
      if (t.isAfter(FIRST.plusSeconds(86_400))) {
        OBSERVATIONS.add(new Observation("Huairou", t, Map.of(Variable.PM25, 20.0), null, 1));
      }
    }
  }

  private static List<Observation> stored(String station, Instant from, Instant to) {
    return OBSERVATIONS.stream()
        .filter(o -> o.stationId().equals(station))
        .filter(o -> !o.time().isBefore(from) && o.time().isBefore(to))
        .toList();
  }

  @BeforeEach
  void stations() {
    IssueFixture.stub(forecasts, LATEST, 3);
    when(store.stations()).thenReturn(List.of(DONGSI, HUAIROU));
    when(store.firstValueTime(anyString(), any()))
        .thenAnswer(
            a ->
                OBSERVATIONS.stream()
                    .filter(o -> o.stationId().equals(a.getArgument(0)))
                    .filter(o -> o.value((Variable) a.getArgument(1)) != null)
                    .map(Observation::time)
                    .min(Instant::compareTo));
    when(store.observations(anyString(), any(), any()))
        .thenAnswer(a -> stored(a.getArgument(0), a.getArgument(1), a.getArgument(2)));
    for (Variable v : Variable.values()) {
      when(store.latestValues(v))
          .thenReturn(
              List.of(
                  new LatestValue(DONGSI, v, 42.0, LATEST, 100),
                  new LatestValue(HUAIROU, v, 17.0, LATEST.minusSeconds(3600), 99)));
    }
  }

  private String body(String path, MediaType accept) throws Exception {
    return mvc.perform(get(path).accept(accept))
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  @Test
  void theLandingPageIsJsonWithLinksAndValidAgainstTheEdrSchema() throws Exception {
    String json = body("/", MediaType.APPLICATION_JSON);

    Schemas.assertValid("ogcapi-edr/core/landingPage.yaml", json);
    mvc.perform(get("/").accept(MediaType.APPLICATION_JSON))
        .andExpect(jsonPath("$.links[*].rel", hasItem("conformance")))
        .andExpect(jsonPath("$.links[*].rel", hasItem("service-desc")))
        .andExpect(jsonPath("$.links[*].rel", hasItem("data")));
    mvc.perform(get("/?f=json")).andExpect(jsonPath("$.links").isArray());
  }

  @Test
  void theDashboardIsTheHtmlAlternate() throws Exception {
    mvc.perform(get("/?f=html")).andExpect(forwardedUrl("/index.html"));
    mvc.perform(get("/").header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"))
        .andExpect(forwardedUrl("/index.html"));
    mvc.perform(get("/?f=xml"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value("f: 'xml' is not supported here; use json or html"));
  }

  @Test
  void conformanceListsTheImplementedClassesOnly() throws Exception {
    String json = body("/conformance", MediaType.APPLICATION_JSON);

    Schemas.assertValid("ogcapi-edr/core/confClasses.yaml", json);
    mvc.perform(get("/conformance"))
        .andExpect(
            jsonPath(
                "$.conformsTo", hasItem("http://www.opengis.net/spec/ogcapi-edr-1/1.1/conf/core")))
        .andExpect(jsonPath("$.conformsTo", not(hasItem(containsString("conf/html")))));
  }

  @Test
  void collectionsHaveAnExtentAndOnlyTheQueriesThatWork() throws Exception {
    String all = body("/collections", MediaType.APPLICATION_JSON);
    Schemas.assertValid("ogcapi-edr/collections/collections.yaml", all);

    String pm25 = body("/collections/pm25", MediaType.APPLICATION_JSON);
    Schemas.assertValid("ogcapi-edr/collections/collection.yaml", pm25);
    mvc.perform(get("/collections/pm25"))
        // the stations' box (116.417 .. , .. 40.328) widened to the served forecast domain
        .andExpect(
            jsonPath("$.extent.spatial.bbox[0][0]", org.hamcrest.Matchers.lessThan(116.417 - 0.3)))
        .andExpect(
            jsonPath(
                "$.extent.spatial.bbox[0][3]", org.hamcrest.Matchers.greaterThan(40.328 + 0.3)))
        // from the first stored observation (it was null: open) to the newest
        .andExpect(jsonPath("$.extent.temporal.interval[0][0]").value(FIRST.toString()))
        .andExpect(jsonPath("$.extent.temporal.interval[0][1]").value(LATEST.toString()))
        .andExpect(jsonPath("$.extent.temporal.interval[1][1]").value("2017-03-03T15:00:00Z"))
        .andExpect(jsonPath("$.data_queries.position").exists())
        .andExpect(jsonPath("$.data_queries.cube").exists())
        .andExpect(
            jsonPath("$.data_queries.instances.link.variables.query_type").value("instances"))
        .andExpect(jsonPath("$.data_queries.cube.link.variables.output_formats[2]").value("CSV"));

    String no2 = body("/collections/no2", MediaType.APPLICATION_JSON);
    Schemas.assertValid("ogcapi-edr/collections/collection.yaml", no2);
    mvc.perform(get("/collections/no2"))
        .andExpect(jsonPath("$.data_queries.locations").exists())
        .andExpect(jsonPath("$.data_queries.position").doesNotExist())
        .andExpect(jsonPath("$.data_queries.instances").doesNotExist())
        .andExpect(jsonPath("$.links[*].href", not(hasItem(containsString("/position")))));
  }

  /** Nothing stored yet: the observed interval is open at both ends, and still valid EDR. */
  @Test
  void anEmptyStoreLeavesTheTemporalExtentOpen() throws Exception {
    when(store.latestValues(Variable.PM25)).thenReturn(List.of());
    String pm25 = body("/collections/pm25", MediaType.APPLICATION_JSON);
    Schemas.assertValid("ogcapi-edr/collections/collection.yaml", pm25);
    mvc.perform(get("/collections/pm25"))
        .andExpect(jsonPath("$.extent.temporal.interval[0][0]").doesNotExist())
        .andExpect(jsonPath("$.extent.temporal.interval[0][1]").doesNotExist())
        .andExpect(jsonPath("$.extent.temporal.interval.length()").value(1));
  }

  @Test
  void aQueryTheCollectionDoesNotOfferIsA404NamingIt() throws Exception {
    mvc.perform(get("/collections/no2/position?coords=POINT(116.4 39.9)"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(
            jsonPath("$.detail")
                .value(
                    "collection 'no2' offers no position query: no2 is not forecast (forecast"
                        + " collections: [pm25])"));
  }

  @Test
  void locationsAndOneLocationAreGeoJson() throws Exception {
    mvc.perform(get("/collections/pm25/locations"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.type").value("FeatureCollection"))
        .andExpect(jsonPath("$.numberReturned").value(2));
    mvc.perform(get("/collections/pm25/locations/Dongsi"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.type").value("Feature"))
        .andExpect(jsonPath("$.properties.value").value(42.0))
        .andExpect(jsonPath("$.geometry.coordinates[0]").value(116.417));
    String problem =
        mvc.perform(get("/collections/pm25/locations/Nowhere"))
            .andExpect(status().isNotFound())
            .andReturn()
            .getResponse()
            .getContentAsString();
    Schemas.assertValid("problem.json", problem);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "f=nonsense|f: 'nonsense' is not an output format of the locations query; use one of"
            + " [GeoJSON, geojson, json]",
        "crs=EPSG:9999|crs: 'EPSG:9999' is not supported; the only CRS is OGC:CRS84 (lon, lat"
            + " WGS84)",
        "parameter-name=no2|parameter-name: 'no2' is not a parameter of collection 'pm25';"
            + " available: [pm25]",
        "z=100|z: '100' cannot be honoured; collection 'pm25' has no vertical axis",
        "datetime=2020-01-01T00:00:00Z|datetime: '2020-01-01T00:00:00Z' is not supported by the"
            + " locations query, which answers the latest value"
      })
  void unsupportedQueryParametersAre400sNamingTheValue(String query, String detail)
      throws Exception {
    String problem =
        mvc.perform(get("/collections/pm25/locations?" + query))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.detail").value(detail))
            .andReturn()
            .getResponse()
            .getContentAsString();
    Schemas.assertValid("problem.json", problem);
  }

  @Test
  void crs84IsAccepted() throws Exception {
    mvc.perform(get("/collections/pm25/locations?crs=OGC:CRS84&f=GeoJSON"))
        .andExpect(status().isOk());
  }

  @Test
  void anUnknownCollectionIsA404Problem() throws Exception {
    String problem =
        mvc.perform(get("/collections/pm1"))
            .andExpect(status().isNotFound())
            .andReturn()
            .getResponse()
            .getContentAsString();
    Schemas.assertValid("problem.json", problem);
  }

  static final String INSTANCE = "/collections/pm25/instances/20170228T1500Z";
  static final String POSITION = "/position?coords=POINT(116.5 40.1)";
  static final String CUBE = "/cube?bbox=116.1,39.7,116.5,40.1&resolution-x=2&resolution-y=2";
  static final String AREA =
      "/area?coords=POLYGON((116.1 39.8,116.5 39.8,116.5 40.1,116.1 39.8))"
          + "&resolution-x=2&resolution-y=2";

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/collections/pm25" + POSITION + "&crs=CRS84&f=CoverageJSON",
        "/collections/pm25" + CUBE,
        "/collections/pm25" + AREA + "&datetime=2017-02-28T16:00:00Z/..",
        INSTANCE + POSITION,
        INSTANCE + CUBE + "&f=covjson",
        INSTANCE + AREA
      })
  void theForecastAnswersAreValidCoverageJson(String path) throws Exception {
    String json = body(path, MediaType.ALL);

    Schemas.assertValid("covjson/coveragejson", json);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/collections/pm25" + POSITION,
        "/collections/pm25" + CUBE,
        "/collections/pm25" + AREA,
        INSTANCE + POSITION,
        INSTANCE + CUBE
      })
  void theForecastAnswersAsGeoJsonAreValidEdrFeatureCollections(String path) throws Exception {
    String json = body(path + "&f=GeoJSON", MediaType.ALL);

    Schemas.assertValid("ogcapi-edr/edr-geojson/edrFeatureCollectionGeoJSON.yaml", json);
    mvc.perform(get(path + "&f=geojson"))
        .andExpect(content().contentTypeCompatibleWith("application/geo+json"))
        .andExpect(jsonPath("$.features[0].properties.datetime").value(LATEST.toString()))
        .andExpect(jsonPath("$.features[0].properties['parameter-name'][0]").value("pm25"));
  }

  @Test
  void theForecastAnswersAsCsvHaveAHeaderAndOneRowPerLocationAndHour() throws Exception {
    String position = body("/collections/pm25" + POSITION + "&f=CSV", MediaType.ALL);
    List<String> lines = position.lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "valid_time,lon,lat,variable,issue_time,source,station,q025,q05,q25,q50,q75,q95,"
                + "q975,mean,p_exceed");
    assertThat(lines).hasSize(1 + 3);
    assertThat(lines.get(1)).startsWith(LATEST + ",116.5,40.1,pm25," + LATEST + ",field,,");
    String cube = body("/collections/pm25" + CUBE + "&f=csv", MediaType.ALL);
    assertThat(cube.lines().toList())
        .hasSize(1 + 3 * 2 * 2)
        .first()
        .isEqualTo("valid_time,lon,lat,variable,mean,q05,q50,q95,p_exceed");
    mvc.perform(get("/collections/pm25" + CUBE + "&f=csv"))
        .andExpect(content().contentTypeCompatibleWith("text/csv"));
  }

  @Test
  void instancesListTheStoredIssuesAndAreValidAgainstTheEdrSchemas() throws Exception {
    String list = body("/collections/pm25/instances", MediaType.APPLICATION_JSON);
    Schemas.assertValid("ogcapi-edr/queries/instances.yaml", list);
    mvc.perform(get("/collections/pm25/instances"))
        .andExpect(jsonPath("$.instances[0].id").value(StoredIssues.instanceId(LATEST)))
        .andExpect(
            jsonPath("$.instances[0].extent.temporal.interval[0][0]").value(LATEST.toString()))
        .andExpect(
            jsonPath("$.instances[0].extent.temporal.interval[0][1]").value("2017-02-28T17:00:00Z"))
        .andExpect(jsonPath("$.instances[0].data_queries.cube.link.href").exists());

    String one = body(INSTANCE, MediaType.APPLICATION_JSON);
    Schemas.assertValid("ogcapi-edr/collections/collection.yaml", one);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/collections/pm25/instances/20990101T0000Z|404|instanceId: no pm25 issue"
            + " '20990101T0000Z' is stored",
        "/collections/pm25/instances/yesterday/position?coords=POINT(116.5 40.1)|400|instanceId:"
            + " 'yesterday' is not an issue time",
        "/collections/no2/instances|404|collection 'no2' has no instances: no2 is not forecast",
        "/collections/pm25/position?coords=POINT(116.5 40.1)&f=xml|400|f: 'xml' is not an output"
            + " format of the position query",
        "/collections/pm25/position?coords=POINT(2.35 48.85)|400|coords: POINT(2.35 48.85) is",
        "/collections/pm25/cube?bbox=116.1,39.7,116.5,40.1&datetime=2020-01-01T00:00:00Z|400|"
            + "datetime: no forecast hour in 2020-01-01T00:00:00Z"
      })
  void badForecastQueriesAreProblemsNamingTheValue(String path, int status, String detail)
      throws Exception {
    String problem =
        mvc.perform(get(path))
            .andExpect(status().is(status))
            .andExpect(jsonPath("$.detail", containsString(detail)))
            .andReturn()
            .getResponse()
            .getContentAsString();
    Schemas.assertValid("problem.json", problem);
  }

  @Test
  void aCubeQueryWithAnUnsupportedCrsIsA400() throws Exception {
    mvc.perform(get("/collections/pm25/cube?bbox=116.1,39.7,116.5,40.1&crs=EPSG:3857"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail", containsString("crs: 'EPSG:3857' is not supported")));
  }

  @Test
  void theSchemasRejectWhatTheyShould() {
    assertThat(Schemas.errors("covjson/coveragejson", "{\"type\":\"Coverage\",\"ranges\":{}}"))
        .isNotEmpty();
    assertThat(Schemas.errors("ogcapi-edr/core/landingPage.yaml", "{\"title\":\"x\"}"))
        .isNotEmpty();
    assertThat(Schemas.errors("problem.json", "{\"title\":\"x\",\"status\":200}")).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/collections/pm25/position?coords=POINT(116.5 40.1)&foo=bar|foo: 'bar' is not a"
            + " parameter of the position query; accepted: [coords, datetime, parameter-name, z,"
            + " crs, f]",
        "/collections/pm25/position?coords=POINT(116.5 40.1)&datetme=2017-03-01T10:00:00Z|"
            + "datetme: '2017-03-01T10:00:00Z' is not a parameter of the position query; accepted:"
            + " [coords, datetime, parameter-name, z, crs, f]",
        "/collections/pm25/area?coords=POLYGON((116.3 39.85,116.5 39.85,116.5 40,116.3 39.85))"
            + "&limit=5|limit: '5' is not a parameter of the area query; accepted: [coords,"
            + " resolution-x, resolution-y, datetime, parameter-name, z, crs, f]",
        "/collections/pm25/cube?bbox=116.1,39.7,116.5,40.1&_=1|_: '1' is not a parameter of the"
            + " cube query; accepted: [bbox, resolution-x, resolution-y, datetime, parameter-name,"
            + " z, crs, f]",
        "/collections/pm25/locations?limit=2|limit: '2' is not a parameter of the locations"
            + " query; accepted: [bbox, datetime, parameter-name, z, crs, f]",
        "/collections/pm25/locations/Dongsi?bbox=1,2,3,4|bbox: '1,2,3,4' is not a parameter of"
            + " the locations/{locId} query; accepted: [datetime, parameter-name, z, crs, f]",
        "/collections/pm25/instances?foo=1|foo: '1' is not a parameter of GET"
            + " /collections/pm25/instances; accepted: [limit, f]",
        "/collections?limit=1|limit: '1' is not a parameter of GET /collections; accepted: [f]",
        "/conformance?x=|x: '' is not a parameter of GET /conformance; accepted: [f]"
      })
  void aParameterTheEndpointDoesNotDefineIsA400NamingItAndTheAcceptedOnes(String uri, String detail)
      throws Exception {
    String problem =
        mvc.perform(get(uri))
            .andExpect(status().isBadRequest())
            .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
            .andExpect(jsonPath("$.detail").value(detail))
            .andReturn()
            .getResponse()
            .getContentAsString();
    Schemas.assertValid("problem.json", problem);
  }

  /** What the dashboard (static/js/dashboard.js) asks for stays answered. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/collections",
        "/collections/pm25/locations",
        "/collections/pm25/position?coords=POINT(116.5 40.1)",
        "/collections/pm25/cube?bbox=116.1,39.7,116.5,40.1&resolution-x=1&resolution-y=1",
        "/collections/pm25/cube?bbox=116.1,39.7,116.5,40.1&resolution-x=24&resolution-y=18"
            + "&datetime=2017-02-28T17:00:00Z",
        "/collections/pm25/instances?limit=5&f=json",
        "/collections/pm25/instances?limit=100000000", // capped at the maximum, 1000
        "/?f=json"
      })
  void theParametersTheDashboardSendsAreAccepted(String uri) throws Exception {
    mvc.perform(get(uri)).andExpect(status().isOk());
  }

  @Test
  void locationsKeepTheStationsInsideBbox() throws Exception {
    mvc.perform(get("/collections/pm25/locations?bbox=116.3,39.9,116.5,40"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.features.length()").value(1))
        .andExpect(jsonPath("$.features[0].id").value("Dongsi"));
    mvc.perform(get("/collections/pm25/locations?bbox=116.3,39.9,116.7,40.4"))
        .andExpect(jsonPath("$.features.length()").value(2));
    mvc.perform(get("/collections/pm25/locations?bbox=116.5,39.9,116.3,40"))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.detail")
                .value(
                    "bbox: '116.5,39.9,116.3,40' must have minLon < maxLon in [-180, 180] and"
                        + " minLat < maxLat in [-90, 90]"));
  }

  @Test
  void anUnclosedPolygonIsA400NamingCoordsAndTheValue() throws Exception {
    String coords = "POLYGON((116.3 39.85,116.5 39.85))";
    mvc.perform(get("/collections/pm25/area?coords=" + coords))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.detail")
                .value(
                    containsString(
                        "coords: '" + coords + "' is not a WKT polygon: a ring is not closed")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/collections/pm25/position|coords: missing; a required query parameter of"
            + " /collections/pm25/position",
        "/collections/pm25/area?f=json|coords: missing; a required query parameter of"
            + " /collections/pm25/area",
        "/collections/pm25/cube?bbox=116.1,39.7,116.5,40.1&resolution-x=abc|resolution-x: 'abc'"
            + " is not an integer",
        "/collections/pm25/instances?limit=ten|limit: 'ten' is not an integer"
      })
  void missingAndMistypedParametersAre400sNamingTheField(String uri, String detail)
      throws Exception {
    String problem =
        mvc.perform(get(uri))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.type").value("https://terrafield.io/problems/invalid-request"))
            .andExpect(jsonPath("$.detail").value(detail))
            .andReturn()
            .getResponse()
            .getContentAsString();
    Schemas.assertValid("problem.json", problem);
  }
}
