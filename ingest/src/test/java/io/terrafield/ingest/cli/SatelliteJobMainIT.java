package io.terrafield.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.imagery.LonLatBox;
import io.terrafield.imagery.Rasters;
import io.terrafield.ingest.SharedData;
import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.EmbeddedKafka;
import io.terrafield.ingest.kafka.KafkaTestClient;
import io.terrafield.store.SatelliteFeature;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The satellite job's entry class as the Flink Kubernetes Operator starts it: flags and the
 * password from the environment, an external Kafka (an in-process broker here) and store (H2GIS),
 * the job on the environment Flink gives it (a MiniCluster here), the real Landsat 7 scene of
 * Olinda.
 */
class SatelliteJobMainIT {

  @TempDir Path dir;

  private static final Instant FROM = Instant.EPOCH;
  private static final Instant TO = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void runsTheJobAgainstExternalKafkaAndStoreWithTheStationsAsTargets() throws Exception {
    Path olinda = SharedData.require("imagery/landsat7_olinda_L7_ETMs.tif");
    LonLatBox box = Rasters.open(olinda).info().lonLatBounds();
    double lon = (box.minLon() + box.maxLon()) / 2;
    double lat = (box.minLat() + box.maxLat()) / 2;
    String url = "jdbc:h2:mem:satellite-main-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        TerrafieldStore store = new StoreSettings(url, "", "").open()) {
      store.upsertStations(
          List.of(
              new Station("olinda-centre", null, lon, lat, null, "test", Map.of()),
              new Station("beijing-far-away", null, 116.4, 39.9, null, "test", Map.of())));
      kafka.createTopics(List.of(Topics.SAT_SCENES), 1);
      KafkaTestClient.produce(
          kafka.bootstrapServers(),
          Topics.SAT_SCENES,
          List.of(
              scene("L7_OLINDA", olinda, "landsat7"),
              scene("missing", dir.resolve("nowhere.tif"), "landsat7")));

      StringWriter err = new StringWriter();
      var cli = SatelliteJobMain.commandLine();
      cli.setErr(new PrintWriter(err, true));
      int exit =
          cli.execute(
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--store-url",
              url,
              "--checkpoint-interval",
              "PT1S",
              "--partitions",
              "1",
              "--bounded");

      assertThat(exit).as("exit code, stderr: %s", err).isZero();
      List<SatelliteFeature> centre = store.satelliteFeatures("olinda-centre", FROM, TO);
      assertThat(centre)
          .extracting(SatelliteFeature::feature)
          .contains("ndvi_mean_1000m", "red_mean_1000m", "nir_mean_1000m");
      assertThat(centre)
          .filteredOn(f -> f.feature().equals("ndvi_mean_1000m"))
          .singleElement()
          .satisfies(f -> assertThat(f.value()).isBetween(-1.0, 1.0));
      assertThat(store.satelliteFeatures("beijing-far-away", FROM, TO)).isEmpty();

      List<ConsumerRecord<String, String>> published =
          KafkaTestClient.consumeCommitted(kafka.bootstrapServers(), Topics.SAT_FEATURES);
      assertThat(published).hasSize(centre.size());
      assertThat(published).allSatisfy(r -> assertThat(r.value()).contains("olinda-centre"));
      assertThat(
              KafkaTestClient.consumeCommitted(
                  kafka.bootstrapServers(), Topics.SAT_SCENES_REJECTED))
          .singleElement()
          .satisfies(r -> assertThat(r.value()).contains("uri: not_found"));
    }
  }

  @Test
  void aStoreWithoutStationsAndBadFlagsAreRefusedNamingTheOption() {
    String url = "jdbc:h2:mem:satellite-main-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    assertThat(run("--bootstrap-servers", "localhost:1", "--store-url", url))
        .contains("--store-url")
        .contains("has no stations");
    assertThat(
            run("--bootstrap-servers", "localhost:1", "--store-url", url, "--buffer-metres", "-5"))
        .contains("--buffer-metres: -5.0");
    assertThat(
            run(
                "--bootstrap-servers",
                "localhost:1",
                "--store-url",
                url,
                "--checkpoint-interval",
                "PT0S"))
        .contains("--checkpoint-interval: PT0S");
    assertThat(run("--store-url", url)).contains("--bootstrap-servers");
  }

  /** Runs the command expecting a failure; returns its standard error. */
  private static String run(String... args) {
    StringWriter err = new StringWriter();
    var cli = SatelliteJobMain.commandLine();
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute(args)).as("exit code of %s", List.of(args)).isEqualTo(2);
    return err.toString();
  }

  private static String scene(String id, Path file, String preset) {
    return "{\"scene_id\":\""
        + id
        + "\",\"acquired\":\"2001-08-14T12:30:00Z\",\"uri\":\""
        + file.toUri()
        + "\",\"bands\":\""
        + preset
        + "\"}";
  }
}
