package io.terrafield.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The manifests {@code helm template} renders from the chart in {@code terrafield/} (relative to
 * the module directory, where Surefire runs), parsed into Jackson trees.
 */
final class RenderedChart {

  static final Path CHART = Path.of("terrafield");
  static final String RELEASE = "tf";
  static final String NAMESPACE = "air";

  private static final ObjectMapper YAML = new YAMLMapper();

  private final String text;
  private final List<JsonNode> manifests;

  private RenderedChart(String text, List<JsonNode> manifests) {
    this.text = text;
    this.manifests = manifests;
  }

  /** Renders the chart with its defaults overridden by {@code values} ({@code --set} keys). */
  static RenderedChart render(Map<String, Object> values) {
    return render(ValueSet.DEFAULT, values);
  }

  /** Renders the chart with a value set, then {@code values} ({@code --set} keys) over it. */
  static RenderedChart render(ValueSet valueSet, Map<String, Object> values) {
    TemplateCommand template =
        new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
    valueSet.file().ifPresent(template::withValuesFile);
    values.forEach(template::set);
    return parse(template.call());
  }

  /** The value sets the chart is tested with: its defaults and the examples in helm/examples. */
  enum ValueSet {
    /** The chart's values.yaml: Strimzi Kafka, CloudNativePG, the sensor job, one of each. */
    DEFAULT(null),
    /** Kafka and PostgreSQL outside the cluster (examples/values-external.yaml). */
    EXTERNAL("examples/values-external.yaml"),
    /** Replicated, autoscaled, monitored (examples/values-production.yaml). */
    PRODUCTION("examples/values-production.yaml");

    private final String file;

    ValueSet(String file) {
      this.file = file;
    }

    Optional<Path> file() {
      return Optional.ofNullable(file).map(Path::of);
    }
  }

  static RenderedChart parse(String text) {
    List<JsonNode> manifests = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(text)) {
      var iterator = YAML.readValues(parser, JsonNode.class);
      while (iterator.hasNext()) {
        JsonNode node = iterator.next();
        if (node != null && !node.isMissingNode() && !node.isNull()) {
          manifests.add(node);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("rendered chart is not valid YAML:\n" + text, e);
    }
    return new RenderedChart(text, manifests);
  }

  String text() {
    return text;
  }

  List<JsonNode> manifests() {
    return manifests;
  }

  List<JsonNode> ofKind(String kind) {
    return manifests.stream().filter(m -> kind.equals(m.path("kind").asText())).toList();
  }

  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).stream()
        .filter(m -> name.equals(m.path("metadata").path("name").asText()))
        .findFirst();
  }

  JsonNode get(String kind, String name) {
    Optional<JsonNode> manifest = find(kind, name);
    assertThat(manifest).as("%s %s in the rendered chart", kind, name).isPresent();
    return manifest.orElseThrow();
  }

  /** The {@code terrafield.yml} the api reads, parsed. */
  JsonNode apiConfig() {
    String config =
        get("ConfigMap", RELEASE + "-terrafield-api").path("data").path("terrafield.yml").asText();
    try {
      return YAML.readTree(config);
    } catch (IOException e) {
      throw new UncheckedIOException("api configuration is not valid YAML:\n" + config, e);
    }
  }
}
