package io.terrafield.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.crdv2.generator.v1.JsonSchema;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The published schema of every kind the chart renders, as JSON schemas for networknt's
 * json-schema-validator, and validation of rendered manifests against them.
 *
 * <p>Sources (see {@code src/test/resources/crds/README.md} for versions and licences):
 *
 * <ul>
 *   <li>custom resources: the {@code openAPIV3Schema} of each operator's published CRD — Flink
 *       Kubernetes Operator (vendored from its release, and the 1.10.0 API jar for comparison),
 *       Strimzi, CloudNativePG, Prometheus Operator;
 *   <li>Kubernetes core types (Deployment, Service, …): generated from the fabric8 kubernetes-model
 *       classes (themselves generated from the Kubernetes OpenAPI document) by fabric8's CRD
 *       generator ({@link JsonSchema#from}). They check field names and types; the model carries no
 *       required fields or enums.
 * </ul>
 *
 * <p>Both are Kubernetes structural schemas (OpenAPI v3 subset). {@link #toJsonSchema} turns one
 * into JSON Schema 2020-12 the way the API server reads it with strict field validation ({@code
 * kubectl apply --validate=strict}, the default): an object with declared properties rejects
 * unknown fields unless {@code x-kubernetes-preserve-unknown-fields}; {@code nullable} admits null;
 * {@code x-kubernetes-int-or-string} admits both. CEL rules ({@code x-kubernetes-validations}) and
 * {@code format} are not checked. Every manifest's {@code metadata} is also checked against {@link
 * ObjectMeta}, since CRD schemas leave it open. Thread-safe.
 */
final class PublishedSchemas {

  /** A published CRD: classpath resource and the versions the chart may use. */
  private record Crd(String resource, String kind, String group) {}

  private static final List<Crd> CRDS =
      List.of(
          new Crd(
              "crds/flink-kubernetes-operator-1.13.0/flinkdeployments.flink.apache.org-v1.yml",
              "FlinkDeployment",
              "flink.apache.org"),
          new Crd("crds/strimzi-0.49.0/040-Crd-kafka.yaml", "Kafka", "kafka.strimzi.io"),
          new Crd(
              "crds/strimzi-0.49.0/045-Crd-kafkanodepool.yaml",
              "KafkaNodePool",
              "kafka.strimzi.io"),
          new Crd("crds/strimzi-0.49.0/043-Crd-kafkatopic.yaml", "KafkaTopic", "kafka.strimzi.io"),
          new Crd("crds/strimzi-0.49.0/044-Crd-kafkauser.yaml", "KafkaUser", "kafka.strimzi.io"),
          new Crd(
              "crds/cloudnative-pg-1.30.0/postgresql.cnpg.io_clusters.yaml",
              "Cluster",
              "postgresql.cnpg.io"),
          new Crd(
              "crds/prometheus-operator-0.93.0/monitoring.coreos.com_servicemonitors.yaml",
              "ServiceMonitor",
              "monitoring.coreos.com"),
          new Crd(
              "crds/prometheus-operator-0.93.0/monitoring.coreos.com_podmonitors.yaml",
              "PodMonitor",
              "monitoring.coreos.com"));

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  /** Structural schemas of the custom resources by "apiVersion/kind". */
  private final Map<String, JsonNode> crdSchemas = new HashMap<>();

  private final Map<String, Schema> compiled = new ConcurrentHashMap<>();
  private final Schema objectMeta;

  PublishedSchemas() {
    for (Crd crd : CRDS) {
      JsonNode definition = readYaml(crd.resource());
      for (JsonNode version : definition.at("/spec/versions")) {
        String apiVersion = crd.group() + "/" + version.path("name").asText();
        crdSchemas.put(
            apiVersion + "/" + crd.kind(), version.at("/schema/openAPIV3Schema").deepCopy());
      }
    }
    objectMeta = compile(fabric8Schema(ObjectMeta.class), null);
  }

  /** The CRD's {@code openAPIV3Schema} of one version in a classpath resource, or missing. */
  static JsonNode crdSchema(String resource, String version) {
    for (JsonNode v : readYaml(resource).at("/spec/versions")) {
      if (version.equals(v.path("name").asText())) {
        return v.at("/schema/openAPIV3Schema");
      }
    }
    return JSON.missingNode();
  }

  /**
   * The violations of {@code manifest} against its kind's published schema and of its metadata
   * against ObjectMeta, each as "path: message"; empty when it conforms.
   *
   * @throws IllegalArgumentException when no published schema of its kind is known
   */
  List<String> validate(JsonNode manifest) {
    Schema schema =
        compiled.computeIfAbsent(key(manifest), k -> compile(schemaOf(manifest), manifest));
    List<String> violations = new ArrayList<>();
    for (Error error : schema.validate(manifest.toString(), InputFormat.JSON)) {
      violations.add(error.getInstanceLocation() + ": " + error.getMessage());
    }
    for (Error error :
        objectMeta.validate(manifest.path("metadata").toString(), InputFormat.JSON)) {
      violations.add("metadata" + error.getInstanceLocation() + ": " + error.getMessage());
    }
    return violations;
  }

  private JsonNode schemaOf(JsonNode manifest) {
    JsonNode crd = crdSchemas.get(key(manifest));
    if (crd != null) {
      return crd;
    }
    KubernetesResource typed = KUBERNETES.unmarshal(manifest.toString(), KubernetesResource.class);
    if (typed instanceof GenericKubernetesResource
        || !typed.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
      throw new IllegalArgumentException(
          "no published schema for " + key(manifest) + " (neither a vendored CRD nor a core type)");
    }
    return fabric8Schema(typed.getClass());
  }

  private static JsonNode fabric8Schema(Class<?> type) {
    return JSON.valueToTree(JsonSchema.from(type));
  }

  /**
   * Compiles a structural schema; for a resource ({@code manifest} not null) the top level also
   * requires its apiVersion and kind, and an object as metadata (schemas generated by fabric8, as
   * many CRDs, leave those three out: the API server handles them).
   */
  private static Schema compile(JsonNode structural, JsonNode manifest) {
    ObjectNode schema = toJsonSchema(structural);
    schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    if (manifest != null) {
      ObjectNode properties = schema.withObjectProperty("properties");
      properties.putObject("apiVersion").put("const", manifest.path("apiVersion").asText());
      properties.putObject("kind").put("const", manifest.path("kind").asText());
      properties.putObject("metadata").put("type", "object");
      ArrayNode required = schema.withArrayProperty("required");
      for (String field : List.of("apiVersion", "kind", "metadata")) {
        if (!required.toString().contains('"' + field + '"')) {
          required.add(field);
        }
      }
    }
    return REGISTRY.getSchema(schema.toString(), InputFormat.JSON);
  }

  private static String key(JsonNode manifest) {
    return manifest.path("apiVersion").asText() + "/" + manifest.path("kind").asText();
  }

  /** A Kubernetes structural schema as JSON Schema with strict field validation (a copy). */
  static ObjectNode toJsonSchema(JsonNode structural) {
    ObjectNode copy = structural.deepCopy();
    convert(copy, false);
    return copy;
  }

  private static void convert(ObjectNode node, boolean inCombinator) {
    JsonNode properties = node.get("properties");
    if (properties instanceof ObjectNode props) {
      props.properties().forEach(p -> convertChild(p.getValue(), false));
    }
    convertChild(node.get("items"), false);
    convertChild(node.get("additionalProperties"), false);
    convertChild(node.get("not"), true);
    for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
      if (node.get(combinator) instanceof ArrayNode alternatives) {
        alternatives.forEach(a -> convertChild(a, true));
      }
    }
    boolean preserveUnknown = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    if (node.path("x-kubernetes-int-or-string").asBoolean(false)) {
      node.remove("type");
      if (!node.has("anyOf")) {
        node.putArray("anyOf")
            .add(JSON.createObjectNode().put("type", "integer"))
            .add(JSON.createObjectNode().put("type", "string"));
      }
    }
    // Within allOf/anyOf/oneOf/not, "properties" constrains fields declared by the parent.
    if (!inCombinator
        && properties != null
        && !node.has("additionalProperties")
        && !preserveUnknown) {
      node.put("additionalProperties", false);
    }
    JsonNode type = node.get("type");
    if (node.path("nullable").asBoolean(false) && type != null && type.isTextual()) {
      node.putArray("type").add(type.asText()).add("null");
    }
    node.remove("nullable");
    node.remove("format");
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      if (names.next().startsWith("x-kubernetes-")) {
        names.remove();
      }
    }
  }

  private static void convertChild(JsonNode child, boolean inCombinator) {
    if (child instanceof ObjectNode object) {
      convert(object, inCombinator);
    }
  }

  private static JsonNode readYaml(String resource) {
    try (InputStream in = PublishedSchemas.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(resource, e);
    }
  }
}
