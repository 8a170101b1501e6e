package io.terrafield.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Lints and renders the chart with helm-java (Helm as a native library, no helm binary). */
class HelmChartTest {

  private static final String FULLNAME = RenderedChart.RELEASE + "-terrafield";
  private static final String KAFKA_IN_CLUSTER =
      FULLNAME
          + "-kafka-0."
          + FULLNAME
          + "-kafka."
          + RenderedChart.NAMESPACE
          + ".svc.cluster.local:9092";
  private static final String POSTGIS_IN_CLUSTER =
      "jdbc:postgresql://" + FULLNAME + "-postgis:5432/terrafield";
  private static final String EXTERNAL_KAFKA = "kafka-a.example.org:9092,kafka-b.example.org:9092";
  private static final String EXTERNAL_DB = "jdbc:postgresql://db.example.org:5432/aq";
  private static final Map<String, Object> EXTERNAL =
      Map.of(
          "kafka.enabled",
          false,
          "kafka.bootstrapServers",
          EXTERNAL_KAFKA,
          "postgis.enabled",
          false,
          "postgis.url",
          EXTERNAL_DB,
          "store.existingSecret",
          "aq-db",
          "store.existingSecretPasswordKey",
          "pw");

  private static final List<String> TOPICS =
      List.of(
          "aq.observations.raw",
          "aq.observations.rejected",
          "aq.observations.hourly",
          "sat.scenes",
          "sat.scenes.rejected",
          "sat.features",
          "aq.forecasts",
          "aq.alerts");

  @Test
  void lintPassesInStrictMode() {
    LintResult result = new Helm(RenderedChart.CHART).lint().strict().call();

    assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
  }

  @Nested
  class WithDefaultValues {

    static RenderedChart chart;

    @BeforeAll
    static void render() {
      chart = RenderedChart.render(Map.of());
    }

    @Test
    void rendersEveryComponent() {
      assertThat(chart.manifests())
          .extracting(m -> m.path("kind").asText() + "/" + m.path("metadata").path("name").asText())
          .contains(
              "Deployment/" + FULLNAME + "-api",
              "Service/" + FULLNAME + "-api",
              "ConfigMap/" + FULLNAME + "-api",
              "FlinkDeployment/" + FULLNAME + "-sensor-job",
              "PersistentVolumeClaim/" + FULLNAME + "-flink-data",
              "StatefulSet/" + FULLNAME + "-kafka",
              "Service/" + FULLNAME + "-kafka",
              "StatefulSet/" + FULLNAME + "-postgis",
              "Service/" + FULLNAME + "-postgis")
          .doesNotContain("Ingress/" + FULLNAME + "-api");
    }

    @Test
    void everyResourceCarriesTheStandardLabels() {
      for (JsonNode manifest : chart.manifests()) {
        JsonNode labels = manifest.path("metadata").path("labels");
        assertThat(labels.path("app.kubernetes.io/name").asText())
            .as("name label of %s", manifest.path("metadata").path("name"))
            .isEqualTo("terrafield");
        assertThat(labels.path("app.kubernetes.io/instance").asText()).isEqualTo("tf");
        assertThat(labels.path("app.kubernetes.io/managed-by").asText()).isEqualTo("Helm");
        assertThat(labels.path("app.kubernetes.io/component").asText()).isNotEmpty();
      }
    }

    @Test
    void apiRunsServeWithTheMountedExternalModeConfig() {
      JsonNode deployment = chart.get("Deployment", FULLNAME + "-api");
      JsonNode container = deployment.at("/spec/template/spec/containers/0");

      assertThat(container.path("image").asText()).isEqualTo("terrafield:0.1.0");
      assertThat(strings(container.path("command")))
          .containsExactly(
              "java", "-jar", "/app/terrafield.jar", "serve", "--config", "/config/terrafield.yml");
      assertThat(env(container, "TERRAFIELD_STORE_PASSWORD").at("/valueFrom/secretKeyRef"))
          .hasToString("{\"name\":\"" + FULLNAME + "-store\",\"key\":\"password\"}");
      assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/collections");
      assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/collections");
      assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
      assertThat(deployment.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean())
          .isTrue();
      assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
      assertThat(container.at("/resources/requests/memory").asText()).isNotEmpty();

      JsonNode config = chart.apiConfig().path("terrafield");
      assertThat(config.path("mode").asText()).isEqualTo("external");
      assertThat(config.at("/kafka/bootstrap-servers").asText()).isEqualTo(KAFKA_IN_CLUSTER);
      assertThat(config.at("/store/url").asText()).isEqualTo(POSTGIS_IN_CLUSTER);
      assertThat(config.at("/store/user").asText()).isEqualTo("terrafield");
      assertThat(config.at("/store/password").isMissingNode())
          .as("no password in the ConfigMap")
          .isTrue();
      assertThat(config.at("/flink/target").asText()).isEqualTo("none");
      assertThat(config.at("/replay/enabled").asBoolean(true)).isFalse();
    }

    @Test
    void flinkDeploymentRunsTheSensorJobInApplicationMode() {
      JsonNode spec = chart.get("FlinkDeployment", FULLNAME + "-sensor-job").path("spec");

      assertThat(chart.get("FlinkDeployment", FULLNAME + "-sensor-job").path("apiVersion").asText())
          .isEqualTo("flink.apache.org/v1beta1");
      assertThat(spec.path("flinkVersion").asText()).matches("v2_[0-9]+");
      assertThat(spec.at("/job/jarURI").asText()).isEqualTo("local:///app/terrafield.jar");
      assertThat(spec.at("/job/entryClass").asText())
          .isEqualTo("io.terrafield.ingest.cli.SensorJobMain");
      assertThat(strings(spec.at("/job/args")))
          .containsExactly(
              "--bootstrap-servers", KAFKA_IN_CLUSTER,
              "--store-url", POSTGIS_IN_CLUSTER,
              "--store-user", "terrafield");
      assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("last-state");
      assertThat(spec.at("/job/parallelism").asInt()).isEqualTo(2);
      assertThat(spec.at("/jobManager/resource/memory").asText()).isNotEmpty();
      assertThat(spec.at("/taskManager/resource/cpu").asDouble()).isPositive();

      JsonNode configuration = spec.path("flinkConfiguration");
      assertThat(configuration.path("execution.checkpointing.interval").asText()).isEqualTo("30s");
      assertThat(configuration.path("state.checkpoints.dir").asText())
          .isEqualTo("file:///flink-data/checkpoints");
      assertThat(configuration.path("execution.checkpointing.dir").asText())
          .isEqualTo("file:///flink-data/checkpoints");
      assertThat(configuration.path("high-availability.type").asText()).isEqualTo("kubernetes");
      configuration
          .fields()
          .forEachRemaining(
              field -> assertThat(field.getValue().isTextual()).as(field.getKey()).isTrue());

      JsonNode main = spec.at("/podTemplate/spec/containers/0");
      assertThat(main.path("name").asText()).isEqualTo("flink-main-container");
      assertThat(env(main, "TERRAFIELD_STORE_PASSWORD").at("/valueFrom/secretKeyRef/name").asText())
          .isEqualTo(FULLNAME + "-store");
      assertThat(main.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/flink-data");
      assertThat(spec.at("/podTemplate/spec/volumes/0/persistentVolumeClaim/claimName").asText())
          .isEqualTo(FULLNAME + "-flink-data");
    }

    @Test
    void kafkaIsASingleKraftNodeBehindAHeadlessService() {
      JsonNode kafka = chart.get("StatefulSet", FULLNAME + "-kafka");
      JsonNode container = kafka.at("/spec/template/spec/containers/0");

      assertThat(container.path("image").asText()).startsWith("apache/kafka:4.");
      assertThat(env(container, "KAFKA_PROCESS_ROLES").path("value").asText())
          .isEqualTo("broker,controller");
      assertThat(env(container, "KAFKA_ADVERTISED_LISTENERS").path("value").asText())
          .isEqualTo("PLAINTEXT://$(POD_NAME)." + FULLNAME + "-kafka.air.svc.cluster.local:9092");
      assertThat(kafka.at("/spec/template/spec/enableServiceLinks").asBoolean(true)).isFalse();
      assertThat(chart.get("Service", FULLNAME + "-kafka").at("/spec/clusterIP").asText())
          .isEqualTo("None");
    }

    @Test
    void apiInitContainerCreatesEveryTopicBeforeTheApiStarts() {
      JsonNode init = topicsInitContainer(chart);

      assertThat(init.path("image").asText()).startsWith("apache/kafka:4.");
      assertThat(init.at("/command/2").asText()).contains("--if-not-exists").contains(TOPICS);
      assertThat(env(init, "BOOTSTRAP_SERVERS").path("value").asText()).isEqualTo(KAFKA_IN_CLUSTER);
    }

    @Test
    void postgisTakesItsPasswordFromTheStoreSecret() {
      JsonNode container =
          chart.get("StatefulSet", FULLNAME + "-postgis").at("/spec/template/spec/containers/0");

      assertThat(container.path("image").asText()).isEqualTo("postgis/postgis:15-3.5");
      assertThat(env(container, "POSTGRES_PASSWORD").at("/valueFrom/secretKeyRef/name").asText())
          .isEqualTo(FULLNAME + "-store");
      assertThat(env(container, "POSTGRES_USER").path("value").asText()).isEqualTo("terrafield");
    }
  }

  @Nested
  class WithExternalKafkaAndDatabase {

    static RenderedChart chart;

    @BeforeAll
    static void render() {
      chart = RenderedChart.render(EXTERNAL);
    }

    @Test
    void rendersNoStatefulSetAndNoGeneratedSecret() {
      assertThat(chart.ofKind("StatefulSet")).isEmpty();
      assertThat(chart.find("Service", FULLNAME + "-kafka")).isEmpty();
      assertThat(chart.find("Service", FULLNAME + "-postgis")).isEmpty();
      assertThat(chart.ofKind("Secret")).isEmpty();
    }

    @Test
    void apiAndJobUseTheExternalEndpoints() {
      JsonNode config = chart.apiConfig().path("terrafield");
      assertThat(config.at("/kafka/bootstrap-servers").asText()).isEqualTo(EXTERNAL_KAFKA);
      assertThat(config.at("/store/url").asText()).isEqualTo(EXTERNAL_DB);

      JsonNode spec = chart.get("FlinkDeployment", FULLNAME + "-sensor-job").path("spec");
      assertThat(strings(spec.at("/job/args")))
          .containsSubsequence("--bootstrap-servers", EXTERNAL_KAFKA)
          .containsSubsequence("--store-url", EXTERNAL_DB);
      assertThat(
              env(spec.at("/podTemplate/spec/containers/0"), "TERRAFIELD_STORE_PASSWORD")
                  .at("/valueFrom/secretKeyRef"))
          .hasToString("{\"name\":\"aq-db\",\"key\":\"pw\"}");
    }

    @Test
    void topicsAreStillCreatedOnTheExternalCluster() {
      assertThat(env(topicsInitContainer(chart), "BOOTSTRAP_SERVERS").path("value").asText())
          .isEqualTo(EXTERNAL_KAFKA);
    }
  }

  @Test
  void objectStorageReplacesTheCheckpointVolume() {
    RenderedChart chart = RenderedChart.render(Map.of("flink.storageUri", "s3://aq-bucket/flink/"));

    JsonNode spec = chart.get("FlinkDeployment", FULLNAME + "-sensor-job").path("spec");
    assertThat(spec.at("/flinkConfiguration/state.checkpoints.dir").asText())
        .isEqualTo("s3://aq-bucket/flink/checkpoints");
    assertThat(spec.at("/flinkConfiguration/high-availability.storageDir").asText())
        .isEqualTo("s3://aq-bucket/flink/ha");
    assertThat(spec.at("/podTemplate/spec/volumes").isMissingNode()).isTrue();
    assertThat(chart.ofKind("PersistentVolumeClaim")).isEmpty();
  }

  @Test
  void ingressRoutesTheHostToTheApiService() {
    RenderedChart chart =
        RenderedChart.render(
            Map.of("api.ingress.enabled", true, "api.ingress.host", "aq.example.org"));

    JsonNode rule = chart.get("Ingress", FULLNAME + "-api").at("/spec/rules/0");
    assertThat(rule.path("host").asText()).isEqualTo("aq.example.org");
    assertThat(rule.at("/http/paths/0/backend/service/name").asText()).isEqualTo(FULLNAME + "-api");
  }

  @Test
  void explicitPasswordIsStoredInTheSecret() {
    RenderedChart chart = RenderedChart.render(Map.of("store.password", "s3cret"));

    assertThat(chart.get("Secret", FULLNAME + "-store").at("/data/password").asText())
        .isEqualTo("czNjcmV0");
  }

  static Stream<Arguments> componentSwitches() {
    Stream.Builder<Arguments> matrix = Stream.builder();
    for (boolean kafka : new boolean[] {true, false}) {
      for (boolean postgis : new boolean[] {true, false}) {
        for (boolean flink : new boolean[] {true, false}) {
          matrix.add(Arguments.of(kafka, postgis, flink));
        }
      }
    }
    return matrix.build();
  }

  @ParameterizedTest(name = "kafka={0} postgis={1} flink={2}")
  @MethodSource("componentSwitches")
  void eachSwitchRendersExactlyItsComponentAndTheRightEndpoints(
      boolean kafka, boolean postgis, boolean flink) {
    Map<String, Object> values = new HashMap<>();
    values.put("kafka.enabled", kafka);
    values.put("postgis.enabled", postgis);
    values.put("flink.enabled", flink);
    values.put("store.password", "pw");
    if (!kafka) {
      values.put("kafka.bootstrapServers", EXTERNAL_KAFKA);
    }
    if (!postgis) {
      values.put("postgis.url", EXTERNAL_DB);
    }
    RenderedChart chart = RenderedChart.render(values);

    assertThat(chart.find("StatefulSet", FULLNAME + "-kafka").isPresent()).isEqualTo(kafka);
    assertThat(chart.find("StatefulSet", FULLNAME + "-postgis").isPresent()).isEqualTo(postgis);
    assertThat(chart.find("FlinkDeployment", FULLNAME + "-sensor-job").isPresent())
        .isEqualTo(flink);
    assertThat(chart.find("PersistentVolumeClaim", FULLNAME + "-flink-data").isPresent())
        .isEqualTo(flink);
    assertThat(chart.find("Deployment", FULLNAME + "-api")).isPresent();
    JsonNode config = chart.apiConfig().path("terrafield");
    assertThat(config.at("/kafka/bootstrap-servers").asText())
        .isEqualTo(kafka ? KAFKA_IN_CLUSTER : EXTERNAL_KAFKA);
    assertThat(config.at("/store/url").asText())
        .isEqualTo(postgis ? POSTGIS_IN_CLUSTER : EXTERNAL_DB);
  }

  @Test
  void generatedPasswordSecretIsAPreInstallHookSoUpgradesKeepIt() throws Exception {
    // helm-java's template output leaves hooks out: the Secret is absent from it exactly because
    // it is a hook, and its template declares which one.
    assertThat(RenderedChart.render(Map.of()).ofKind("Secret")).isEmpty();
    assertThat(Files.readString(RenderedChart.CHART.resolve("templates/store-secret.yaml")))
        .contains("helm.sh/hook: pre-install")
        .contains("randAlphaNum 32");
  }

  @Test
  void extraConfigAndReplayReachTheApiConfiguration() {
    RenderedChart chart =
        RenderedChart.render(
            Map.of(
                "api.replay.enabled", true,
                "api.extraConfig.replay.speedup", 7200,
                "api.extraConfig.kafka.partitions", 6));

    JsonNode config = chart.apiConfig().path("terrafield");
    assertThat(config.at("/replay/enabled").asBoolean()).isTrue();
    assertThat(config.at("/replay/speedup").asInt()).isEqualTo(7200);
    assertThat(config.at("/kafka/partitions").asInt()).isEqualTo(6);
    assertThat(config.at("/kafka/bootstrap-servers").asText()).isEqualTo(KAFKA_IN_CLUSTER);
    assertThat(config.path("mode").asText()).isEqualTo("external");
  }

  @Test
  void topicCreationCanBeSwitchedOff() {
    RenderedChart chart = RenderedChart.render(Map.of("kafka.createTopics", false));

    assertThat(chart.get("Deployment", FULLNAME + "-api").at("/spec/template/spec/initContainers"))
        .isEmpty();
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(Map.of("flink.job.parallelism", 0), "flink.job.parallelism"),
        Arguments.of(Map.of("flink.job.upgradeMode", "sometimes"), "flink.job.upgradeMode"),
        Arguments.of(Map.of("flink.flinkVersion", "v1_13"), "flink.flinkVersion"),
        Arguments.of(Map.of("image.pullPolicy", "Sometimes"), "image.pullPolicy"),
        Arguments.of(Map.of("api.service.port", 70000), "api.service.port"),
        Arguments.of(Map.of("kafka.enabled", false), "kafka.bootstrapServers"),
        Arguments.of(
            Map.of("postgis.enabled", false, "postgis.url", "postgres://db:5432/aq"),
            "postgis.url"),
        Arguments.of(Map.of("postgis.enabled", false), "postgis.url"));
  }

  @ParameterizedTest(name = "{0} is rejected naming {1}")
  @MethodSource("badValues")
  void schemaRejectsBadValuesNamingTheField(Map<String, Object> values, String field) {
    assertThatThrownBy(() -> RenderedChart.render(values))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(field);
  }

  @Test
  void externalDatabaseWithoutPasswordIsRejected() {
    assertThatThrownBy(
            () ->
                RenderedChart.render(Map.of("postgis.enabled", false, "postgis.url", EXTERNAL_DB)))
        .hasMessageContaining("store.password or store.existingSecret is required");
  }

  private static JsonNode topicsInitContainer(RenderedChart chart) {
    JsonNode init =
        chart.get("Deployment", FULLNAME + "-api").at("/spec/template/spec/initContainers/0");
    assertThat(init.path("name").asText()).isEqualTo("create-topics");
    return init;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }

  private static JsonNode env(JsonNode container, String name) {
    return StreamSupport.stream(container.path("env").spliterator(), false)
        .filter(variable -> name.equals(variable.path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name + " in " + container));
  }
}
