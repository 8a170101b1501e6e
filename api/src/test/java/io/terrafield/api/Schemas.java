package io.terrafield.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.Dialects;
import java.util.List;

/**
 * JSON-schema validation of answers against the vendored OGC API EDR 1.1 schemas ({@code
 * src/test/resources/schemas/ogcapi-edr}, see the README there) and the RFC 9457 problem schema.
 * The EDR schemas are OpenAPI 3.0 schema objects, validated with the OpenAPI 3.0 dialect.
 */
public final class Schemas {

  /**
   * The EDR GeoJSON schemas refer to {@code ../../schemas/…} (the layout of the OGC repository
   * above them), which from their folder here is {@code schemas/schemas/…}: mapped to the vendored
   * folder.
   */
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          Dialects.getOpenApi30(),
          builder ->
              builder.schemaIdResolvers(
                  ids ->
                      ids.mappings(
                          id -> id.startsWith("classpath:schemas/schemas/"),
                          id ->
                              "classpath:schemas/ogcapi-edr/"
                                  + id.substring("classpath:schemas/schemas/".length()))));

  /** The CoverageJSON schemas (draft 2020-12) use root-relative ids such as /schemas/domain. */
  private static final String COVJSON_BASE = "https://covjson.org/schemas/";

  private static final SchemaRegistry COVJSON =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          builder ->
              builder.schemaIdResolvers(
                  ids ->
                      ids.mappings(
                          id -> id.startsWith(COVJSON_BASE),
                          id ->
                              "classpath:schemas/covjson/"
                                  + id.substring(COVJSON_BASE.length())
                                  + ".json")));

  private Schemas() {}

  /**
   * E.g. {@code ogcapi-edr/core/landingPage.yaml}, or {@code covjson/coveragejson} for the
   * CoverageJSON schema.
   */
  public static Schema schema(String path) {
    if (path.startsWith("covjson/")) {
      return COVJSON.getSchema(
          SchemaLocation.of(COVJSON_BASE + path.substring("covjson/".length())));
    }
    return REGISTRY.getSchema(SchemaLocation.of("classpath:schemas/" + path));
  }

  /** Asserts that {@code json} is valid against {@code path}, listing every violation. */
  public static void assertValid(String path, String json) {
    List<Error> errors = schema(path).validate(json, InputFormat.JSON);
    assertThat(errors).as("%s violations of %s in %s", errors.size(), path, json).isEmpty();
  }

  /** The errors of {@code json} against {@code path}. */
  public static List<Error> errors(String path, String json) {
    return schema(path).validate(json, InputFormat.JSON);
  }
}
