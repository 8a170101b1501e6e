package io.terrafield.forecasting.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.ForecastingException;
import io.terrafield.forecasting.Station;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The versioned model artifacts under one root ({@code terrafield.forecast.model-dir}, by default
 * {@code ~/.terrafield/models}): {@code <root>/<variable>/<version>.field} and its manifest {@code
 * <version>.json}. Writers publish an artifact atomically — the field file and then the manifest,
 * each written to a temporary name and renamed — so a reader that lists manifests never sees a
 * partial artifact. Thread-safe (stateless apart from the root).
 */
public final class ModelDirectory {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path root;

  public ModelDirectory(Path root) {
    this.root = Objects.requireNonNull(root, "model directory");
  }

  /** The root directory. */
  public Path root() {
    return root;
  }

  /** Where a variable's artifacts live. */
  public Path variableDir(String variable) {
    return root.resolve(variable);
  }

  /**
   * The readable artifacts of a variable, oldest training window first (ties by version). An
   * unreadable manifest or a manifest without its field file is skipped and reported to {@code
   * problems} with the file and the reason.
   */
  public List<ModelArtifact> list(String variable, Consumer<String> problems) {
    Path dir = variableDir(variable);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<ModelArtifact> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path manifest : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        try {
          ModelArtifact a = read(manifest);
          if (!Files.isRegularFile(a.field())) {
            problems.accept(manifest + ": its field file " + a.field() + " is missing");
          } else if (!a.variable().equals(variable)) {
            problems.accept(manifest + ": is of variable '" + a.variable() + "', not " + variable);
          } else {
            out.add(a);
          }
        } catch (RuntimeException e) {
          problems.accept(manifest + ": unreadable manifest (" + e.getMessage() + ")");
        }
      }
    } catch (IOException e) {
      problems.accept(dir + ": cannot list (" + e.getMessage() + ")");
    }
    out.sort(
        Comparator.comparing(ModelArtifact::trainedThrough).thenComparing(ModelArtifact::version));
    return out;
  }

  /** The artifact with the newest training window, if any (see {@link #list}). */
  public Optional<ModelArtifact> newest(String variable, Consumer<String> problems) {
    List<ModelArtifact> all = list(variable, problems);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** A temporary field file in the variable's directory, for a writer to fill and publish. */
  public Path temporaryField(String variable, String version) throws IOException {
    Path dir = Files.createDirectories(variableDir(variable));
    return dir.resolve("." + version + ".field.tmp");
  }

  /**
   * Publishes an artifact: moves the filled {@code fieldFile} to {@code <version>.field} and writes
   * the manifest, each atomically.
   *
   * @return the artifact as readers will see it
   */
  public ModelArtifact publish(ModelArtifact artifact, Path fieldFile) throws IOException {
    Path dir = Files.createDirectories(variableDir(artifact.variable()));
    Path field = dir.resolve(artifact.version() + ".field");
    move(fieldFile, field);
    ModelArtifact published =
        new ModelArtifact(
            artifact.variable(),
            artifact.version(),
            artifact.trainedThrough(),
            artifact.historyHours(),
            artifact.zone(),
            artifact.config(),
            artifact.stations(),
            field);
    Path manifest = dir.resolve(artifact.version() + ".json");
    Path tmp = dir.resolve("." + artifact.version() + ".json.tmp");
    Files.writeString(
        tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json(published)));
    move(tmp, manifest);
    return published;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static ObjectNode json(ModelArtifact a) {
    ObjectNode node = JSON.createObjectNode();
    node.put("variable", a.variable());
    node.put("version", a.version());
    node.put("trained_through", a.trainedThrough().toString());
    node.put("history_hours", a.historyHours());
    node.put("zone", a.zone().getId());
    node.set("config", JSON.valueToTree(a.config()));
    ArrayNode stations = node.putArray("stations");
    for (Station s : a.stations()) {
      stations.addObject().put("id", s.id()).put("lon", s.lon()).put("lat", s.lat());
    }
    node.put("field", a.field().getFileName().toString());
    return node;
  }

  /**
   * Reads one manifest.
   *
   * @throws ForecastingException naming the file and what is wrong
   */
  public static ModelArtifact read(Path manifest) {
    try {
      JsonNode n = JSON.readTree(manifest.toFile());
      List<Station> stations = new ArrayList<>();
      for (JsonNode s : required(n, "stations", manifest)) {
        stations.add(
            new Station(s.get("id").asText(), s.get("lon").asDouble(), s.get("lat").asDouble()));
      }
      return new ModelArtifact(
          required(n, "variable", manifest).asText(),
          required(n, "version", manifest).asText(),
          Instant.parse(required(n, "trained_through", manifest).asText()),
          required(n, "history_hours", manifest).asInt(),
          ZoneOffset.of(required(n, "zone", manifest).asText()),
          JSON.treeToValue(required(n, "config", manifest), FieldConfig.class),
          stations,
          manifest.resolveSibling(required(n, "field", manifest).asText()));
    } catch (IOException | RuntimeException e) {
      throw new ForecastingException(
          "model manifest: " + manifest + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static JsonNode required(JsonNode n, String field, Path manifest) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new ForecastingException("model manifest: " + manifest + " has no '" + field + "'");
    }
    return v;
  }
}
