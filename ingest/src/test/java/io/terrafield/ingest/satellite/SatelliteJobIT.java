package io.terrafield.ingest.satellite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.imagery.LonLatBox;
import io.terrafield.imagery.Rasters;
import io.terrafield.imagery.TargetPoint;
import io.terrafield.ingest.SharedData;
import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.EmbeddedKafka;
import io.terrafield.ingest.kafka.KafkaTestClient;
import io.terrafield.store.SatelliteFeature;
import io.terrafield.store.TerrafieldStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The satellite job with real parts: scene messages on an in-process Kafka broker → the job on a
 * Flink MiniCluster reading the real Landsat 8 GeoTIFF → features in the H2GIS store and on {@code
 * sat.features}; a missing file, a non-TIFF, a truncated TIFF and bad messages go to {@code
 * sat.scenes.rejected} with their reason.
 */
class SatelliteJobIT {

  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void scenesBecomeFeaturesAndUnusableScenesAreRejectedWithAReason() throws Exception {
    Path marburg = SharedData.require("imagery/landsat8_marburg_20130707_B1-7_B10_B11.tif");
    LonLatBox box = Rasters.open(marburg).info().lonLatBounds();
    double lon = (box.minLon() + box.maxLon()) / 2;
    double lat = (box.minLat() + box.maxLat()) / 2;
    List<TargetPoint> targets =
        List.of(
            new TargetPoint("marburg-centre", lon, lat),
            new TargetPoint("cell-1", lon + (box.maxLon() - box.minLon()) / 4, lat),
            new TargetPoint("beijing-far-away", 116.4, 39.9));

    Path notTiff = Files.writeString(dir.resolve("scene.tif"), "this is not a TIFF");
    byte[] bytes = Files.readAllBytes(marburg);
    Path truncated = Files.write(dir.resolve("truncated.tif"), Arrays.copyOf(bytes, 600));
    List<String> messages =
        List.of(
            scene("LC08_195025_20130707", marburg, "\"landsat8\""),
            scene("LC08_195025_20130707", marburg, "\"landsat8\""), // re-delivered
            scene("missing", dir.resolve("nowhere.tif"), "\"landsat8\""),
            scene("not-a-tiff", notTiff, "\"landsat8\""),
            scene("truncated", truncated, "\"landsat8\""),
            scene("too-many-bands", marburg, "{\"red\":4,\"nir\":42}"),
            "{\"scene_id\":\"no-uri\",\"acquired\":\"2013-07-07T10:15:00Z\",\"bands\":\"landsat8\"}",
            "{\"scene_id\":\"bad-time\",\"acquired\":\"July\",\"uri\":\"x.tif\",\"bands\":\"landsat8\"}",
            "{oops");

    String url = "jdbc:h2:mem:satellite-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    StoreSettings settings = new StoreSettings(url, "", "");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        TerrafieldStore store = settings.open()) {
      kafka.createTopics(
          List.of(Topics.SAT_SCENES, Topics.SAT_FEATURES, Topics.SAT_SCENES_REJECTED), 1);
      KafkaTestClient.produce(kafka.bootstrapServers(), Topics.SAT_SCENES, messages);
      Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
      SatelliteJob.kafka(kafka.bootstrapServers(), settings, targets, 1000, clock, true)
          .execute(StreamExecutionEnvironment.createLocalEnvironment(1));

      List<SatelliteFeature> centre =
          store.satelliteFeatures(
              "marburg-centre", Instant.EPOCH, Instant.parse("2030-01-01T00:00:00Z"));
      assertThat(centre)
          .extracting(SatelliteFeature::feature)
          .contains(
              "ndvi_mean_1000m",
              "ndwi_mean_1000m",
              "ndbi_mean_1000m",
              "red_mean_1000m",
              "nir_mean_1000m");
      SatelliteFeature ndvi =
          centre.stream()
              .filter(f -> f.feature().equals("ndvi_mean_1000m"))
              .findFirst()
              .orElseThrow();
      assertThat(ndvi.value()).isBetween(-1.0, 1.0);
      assertThat(ndvi.acquiredAt()).isEqualTo(Instant.parse("2013-07-07T10:15:00Z"));
      assertThat(
              store.satelliteFeatures(
                  "beijing-far-away", Instant.EPOCH, Instant.parse("2030-01-01T00:00:00Z")))
          .isEmpty();

      List<JsonNode> rejected =
          KafkaTestClient.consumeJson(kafka.bootstrapServers(), Topics.SAT_SCENES_REJECTED);
      List<String> reasons = rejected.stream().map(r -> r.get("reason").asText()).toList();
      assertThat(reasons).hasSize(7);
      assertThat(reasons)
          .anyMatch(r -> r.startsWith("uri: not_found"))
          .anyMatch(r -> r.startsWith("uri: not_tiff"))
          .anyMatch(r -> r.startsWith("uri: truncated") || r.startsWith("uri: unreadable"))
          .anyMatch(r -> r.startsWith("uri: band_map_mismatch"))
          .contains("uri: missing", "payload: malformed JSON")
          .anyMatch(r -> r.startsWith("acquired: 'July'"));
      List<JsonNode> published =
          KafkaTestClient.consumeJson(kafka.bootstrapServers(), Topics.SAT_FEATURES);
      // The scene was delivered twice: the topic has it twice, the store once (idempotent upsert).
      long storedFeatures =
          targets.stream()
              .mapToLong(
                  t ->
                      store
                          .satelliteFeatures(
                              t.id(), Instant.EPOCH, Instant.parse("2030-01-01T00:00:00Z"))
                          .size())
              .sum();
      assertThat(published).hasSize((int) (2 * storedFeatures));
    }
  }

  static String scene(String id, Path file, String bands) {
    return "{\"scene_id\":\""
        + id
        + "\",\"acquired\":\"2013-07-07T10:15:00Z\",\"uri\":\""
        + file.toUri()
        + "\",\"bands\":"
        + bands
        + "}";
  }
}
