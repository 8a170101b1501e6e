package io.terrafield.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strimzi.api.kafka.Crds;
import io.terrafield.helm.RenderedChart.ValueSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every resource the chart renders, for each value set, conforms to its kind's published schema
 * (see {@link PublishedSchemas}); the values schema rejects misspelt keys.
 */
class SchemaValidationTest {

  private static PublishedSchemas schemas;

  @BeforeAll
  static void loadSchemas() {
    schemas = new PublishedSchemas();
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void everyRenderedResourceConformsToItsPublishedSchema(ValueSet valueSet) {
    RenderedChart chart = RenderedChart.render(valueSet, Map.of());
    Map<String, Integer> validated = new TreeMap<>();
    List<String> violations = new ArrayList<>();

    for (JsonNode manifest : chart.manifests()) {
      String name = manifest.path("kind").asText() + "/" + manifest.at("/metadata/name").asText();
      schemas.validate(manifest).forEach(v -> violations.add(name + " " + v));
      validated.merge(
          manifest.path("apiVersion").asText() + " " + manifest.path("kind").asText(),
          1,
          Integer::sum);
    }

    System.out.printf(
        "%s: %d resources validated: %s%n", valueSet, chart.manifests().size(), validated);
    assertThat(violations).as("schema violations with %s values", valueSet).isEmpty();
    assertThat(validated.keySet())
        .contains(
            "apps/v1 Deployment",
            "batch/v1 CronJob",
            "v1 PersistentVolumeClaim",
            "flink.apache.org/v1beta1 FlinkDeployment");
    if (valueSet != ValueSet.EXTERNAL) {
      assertThat(validated.keySet())
          .contains(
              "kafka.strimzi.io/v1 Kafka",
              "kafka.strimzi.io/v1 KafkaTopic",
              "postgresql.cnpg.io/v1 Cluster");
    }
    if (valueSet == ValueSet.PRODUCTION) {
      assertThat(validated).containsEntry("kafka.strimzi.io/v1 KafkaUser", 5);
    }
  }

  /**
   * The switches the three value sets leave off: Kafka authentication with the PVC-backed Flink
   * storage, monitoring, an existing Strimzi cluster with client credentials, autoscaling without
   * an Ingress.
   */
  @Test
  void everySwitchTheValueSetsLeaveOffConformsToo() {
    List<RenderedChart> charts =
        List.of(
            RenderedChart.render(
                ValueSet.DEFAULT,
                Map.of(
                    "kafka.strimzi.authentication", "scram-sha-512", "monitoring.enabled", true)),
            RenderedChart.render(
                ValueSet.EXTERNAL,
                Map.of(
                    "kafka.external.strimziClusterName", "platform-kafka",
                    "monitoring.enabled", true,
                    "api.autoscaling.enabled", true,
                    "networkPolicy.enabled", false)));
    List<String> violations = new ArrayList<>();
    int validated = 0;
    for (RenderedChart chart : charts) {
      for (JsonNode manifest : chart.manifests()) {
        schemas.validate(manifest).forEach(v -> violations.add(manifest.path("kind") + " " + v));
        validated++;
      }
    }

    System.out.printf("every switch on: %d resources validated%n", validated);
    assertThat(charts.get(0).ofKind("FlinkDeployment")).hasSize(3);
    assertThat(charts.get(0).ofKind("KafkaUser")).hasSize(5);
    assertThat(charts.get(1).ofKind("KafkaTopic")).hasSize(9);
    assertThat(violations).isEmpty();
  }

  @Test
  void theValidatorRejectsUnknownFieldsAndWrongTypesInCoreTypesAndCustomResources() {
    RenderedChart chart = RenderedChart.render(Map.of());
    ObjectNode deployment = chart.ofKind("Deployment").get(0).deepCopy();
    ((ObjectNode) deployment.get("spec")).put("replica", 2);
    ObjectNode topic = chart.ofKind("KafkaTopic").get(0).deepCopy();
    ((ObjectNode) topic.get("spec")).put("partition", 3);
    ObjectNode flink = chart.ofKind("FlinkDeployment").get(0).deepCopy();
    ((ObjectNode) flink.get("spec")).put("flinkVersion", "v9_9");

    ObjectNode cluster = chart.ofKind("Cluster").get(0).deepCopy();
    ((ObjectNode) cluster.at("/spec/bootstrap/initdb")).put("databse", "x");
    ((ObjectNode) cluster.get("metadata")).putObject("label").put("a", "b");
    ObjectNode monitor =
        RenderedChart.render(Map.of("monitoring.enabled", true))
            .ofKind("PodMonitor")
            .get(0)
            .deepCopy();
    ((ObjectNode) monitor.at("/spec/podMetricsEndpoints/0")).put("interval", 30);

    assertThat(schemas.validate(deployment)).anyMatch(v -> v.contains("replica"));
    assertThat(schemas.validate(cluster))
        .anyMatch(v -> v.contains("databse"))
        .anyMatch(v -> v.startsWith("metadata") && v.contains("label"));
    assertThat(schemas.validate(monitor)).anyMatch(v -> v.contains("interval"));
    assertThat(schemas.validate(topic)).anyMatch(v -> v.contains("partition"));
    assertThat(schemas.validate(flink)).anyMatch(v -> v.contains("flinkVersion"));
  }

  @Test
  void aMisspeltValueKeyFailsTemplateWithASchemaErrorNamingIt() {
    assertThatThrownBy(() -> RenderedChart.render(Map.of("api.replicaCont", 3)))
        .hasMessageContaining("replicaCont");
    assertThatThrownBy(() -> RenderedChart.render(Map.of("kafka.strimzi.replica", 3)))
        .hasMessageContaining("replica");
    assertThatThrownBy(() -> RenderedChart.render(Map.of("training.schedul", "0 3 * * *")))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("schedul");
    assertThatThrownBy(() -> RenderedChart.render(Map.of("kafka.strimzi.authentification", "x")))
        .hasMessageContaining("authentification");
  }

  /** Why the Flink CRD is vendored from operator 1.13.0 (see src/test/resources/crds/README.md). */
  @Test
  void flinkVersionV22IsInTheOperator113CrdButNotInThe110ApiJar() {
    JsonNode jar =
        PublishedSchemas.crdSchema(
            "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml", "v1beta1");
    JsonNode vendored =
        PublishedSchemas.crdSchema(
            "crds/flink-kubernetes-operator-1.13.0/flinkdeployments.flink.apache.org-v1.yml",
            "v1beta1");

    assertThat(enumOf(jar)).contains("v1_20").doesNotContain("v2_0", "v2_1", "v2_2");
    assertThat(enumOf(vendored)).contains("v2_2");
    assertThat(RenderedChart.render(Map.of()).ofKind("FlinkDeployment"))
        .allSatisfy(d -> assertThat(d.at("/spec/flinkVersion").asText()).isEqualTo("v2_2"));
  }

  /** Why Strimzi's CRDs are vendored: the {@code Crds} class of io.strimzi:api has no schema. */
  @Test
  void strimziCrdsClassDeclaresNoSchemaButThePublishedCrdDoes() {
    for (var crd :
        List.of(Crds.kafka(), Crds.kafkaNodePool(), Crds.kafkaTopic(), Crds.kafkaUser())) {
      assertThat(crd.getSpec().getVersions())
          .as(crd.getMetadata().getName())
          .allSatisfy(
              v -> assertThat(v.getSchema().getOpenAPIV3Schema().getProperties()).isEmpty());
    }
    assertThat(
            PublishedSchemas.crdSchema("crds/strimzi-0.49.0/040-Crd-kafka.yaml", "v1")
                .at("/properties/spec/properties/kafka/required"))
        .isNotEmpty();
  }

  private static List<String> enumOf(JsonNode crdSchema) {
    return StreamSupport.stream(
            crdSchema.at("/properties/spec/properties/flinkVersion/enum").spliterator(), false)
        .map(JsonNode::asText)
        .toList();
  }
}
