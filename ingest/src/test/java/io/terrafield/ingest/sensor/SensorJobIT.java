package io.terrafield.ingest.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.ingest.StoreSettings;
import io.terrafield.ingest.Topics;
import io.terrafield.ingest.kafka.EmbeddedKafka;
import io.terrafield.ingest.kafka.KafkaTestClient;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import io.terrafield.store.importers.BeijingImporter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sensor job with real parts: an in-process Kafka broker, a Flink MiniCluster and the embedded
 * H2GIS store, fed with two days of the real Beijing data (the slice shipped in demo-data) mixed
 * with every kind of bad input. Checks exact counts and values, and that in = accepted + rejected.
 */
class SensorJobIT {

  static final Path BEIJING = Path.of("../demo-data/airquality/beijing");
  static final Instant FROM = Instant.parse("2016-01-31T16:00:00Z"); // 2016-02-01 00:00 +08
  static final Instant TO = FROM.plus(Duration.ofHours(48));
  static final Instant LAST = Instant.parse("2016-03-01T00:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  static final String HUGE = "{\"station\":\"Dongsi\",\"pad\":\"" + "x".repeat(10 << 20) + "\"}";

  @TempDir static Path kafkaDir;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(kafkaDir);
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @Test
  void realReadingsAndBadInputFlowToTheStoreAndTopicsAndCountsReconcile() throws Exception {
    kafka.createTopics(
        List.of(Topics.OBSERVATIONS_RAW, Topics.OBSERVATIONS_REJECTED, Topics.OBSERVATIONS_HOURLY),
        1);
    BeijingImporter beijing = new BeijingImporter(BEIJING);
    List<Station> stations = beijing.stations();
    Map<String, Station> byId =
        stations.stream().collect(Collectors.toMap(Station::id, Function.identity()));
    List<Observation> real;
    try (Stream<Observation> s = beijing.observationsByTime(FROM, TO)) {
      real = s.toList();
    }
    assertThat(real).hasSize(12 * 48);
    List<Observation> measured = real.stream().filter(o -> !o.values().isEmpty()).toList();

    List<String> messages = new ArrayList<>();
    // Out of order: the last hour of the slice is sent before the hour before it.
    List<Observation> ordered = new ArrayList<>(real);
    List<Observation> lastHours = ordered.subList(ordered.size() - 24, ordered.size());
    List<Observation> swapped = new ArrayList<>(lastHours.subList(12, 24));
    swapped.addAll(lastHours.subList(0, 12));
    lastHours.clear();
    ordered.addAll(swapped);
    for (int i = 0; i < ordered.size(); i++) {
      Observation o = ordered.get(i);
      String json = ObservationJson.readingJson(o, byId.get(o.stationId()), ZoneOffset.ofHours(8));
      messages.add(json);
      if (i >= 100 && i < 105) {
        messages.add(json); // a duplicate, re-delivered right away
      }
    }
    List<String> bad =
        List.of(
            "{\"station\":\"Dongsi\",",
            "{\"station\":\"Atlantis\",\"time\":\"2016-02-01T05:00:00+08:00\",\"pm25\":5}",
            "{\"time\":\"2016-02-01T05:00:00+08:00\",\"pm25\":5}",
            "{\"station\":\"Dongsi\",\"pm25\":5}",
            "{\"station\":\"Dongsi\",\"time\":\"2016-02-01T05:30:00+08:00\",\"pm25\":2500}",
            "{\"station\":\"Dongsi\",\"time\":\"2016-02-01T05:30:00+08:00\",\"pm25\":-1}",
            "{\"station\":\"Dongsi\",\"time\":\"2016-02-01T05:30:00+08:00\",\"pm25\":NaN}",
            "{\"station\":\"Dongsi\",\"time\":\"2016-02-01T05:30:00+08:00\",\"lat\":95,\"pm25\":5}",
            "{\"station\":\"Dongsi\",\"time\":\"2099-02-01T05:30:00+08:00\",\"pm25\":5}",
            // Late: its hour (2016-02-01 00:00 local) closed long before this arrives.
            "{\"station\":\"Dongsi\",\"time\":\"2016-02-01T00:30:00+08:00\",\"pm25\":5}",
            HUGE);
    // Kept with their valid variables: O3 above 1,000 µg/m³ is dropped, PM2.5 kept; NO2 declared
    // in ppb (the field case shared/cases/stream-units) is converted to µg/m³.
    List<String> partly =
        List.of(
            "{\"station\":\"Guanyuan\",\"time\":\"2016-03-01T00:30:00+08:00\",\"no2\":30,"
                + "\"unit\":\"ppb\"}",
            "{\"station\":\"Dongsi\",\"time\":\"2016-03-01T00:40:00+08:00\",\"pm25\":35,"
                + "\"o3\":1071}");
    messages.addAll(bad);
    messages.addAll(partly);
    int expectedReadingRejections = 5 + bad.size() + (real.size() - measured.size());
    int expectedVariableRejections = 3 + 1; // pm25 2500, -1, NaN (alone: also the reading), o3
    KafkaTestClient.produce(kafka.bootstrapServers(), Topics.OBSERVATIONS_RAW, messages);

    String url = "jdbc:h2:mem:sensorjob-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    StoreSettings settings = new StoreSettings(url, "", "");
    try (TerrafieldStore store = settings.open()) {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
      Clock clock = Clock.fixed(Instant.parse("2016-03-01T00:00:00Z"), ZoneOffset.UTC);
      SensorJob.kafka(
              kafka.bootstrapServers(), settings, stations, SensorJobOptions.defaults(clock), true)
          .execute(env);

      List<JsonNode> rejected =
          KafkaTestClient.consumeJson(kafka.bootstrapServers(), Topics.OBSERVATIONS_REJECTED);
      List<JsonNode> hourly =
          KafkaTestClient.consumeJson(kafka.bootstrapServers(), Topics.OBSERVATIONS_HOURLY);
      long accepted = 0;
      for (Station s : stations) {
        for (Observation o : store.observations(s.id(), FROM, LAST)) {
          accepted += o.sampleCount();
        }
      }
      List<String> reasons =
          rejected.stream()
              .filter(r -> r.get("scope").asText().equals(Rejection.READING))
              .map(r -> r.get("reason").asText())
              .toList();
      List<String> dropped =
          rejected.stream()
              .filter(r -> r.get("scope").asText().equals(Rejection.VARIABLE))
              .map(r -> r.get("reason").asText())
              .toList();
      assertThat(accepted + reasons.size())
          .as("accepted %d + rejected readings %d (%s)", accepted, reasons.size(), reasons)
          .isEqualTo(messages.size());
      assertThat(dropped)
          .hasSize(expectedVariableRejections)
          .containsExactlyInAnyOrder(
              "pm25: 2500 is outside the plausible range [0, 2000] µg/m³",
              "pm25: -1 is outside the plausible range [0, 2000] µg/m³",
              "pm25: NaN is not a finite number",
              "o3: 1071 is outside the plausible range [0, 1000] µg/m³");
      assertThat(store.countObservations()).isEqualTo(measured.size() + 2);
      Instant lastHour = Instant.parse("2016-02-29T16:00:00Z");
      Observation guanyuan = store.observations("Guanyuan", lastHour, LAST).get(0);
      assertThat(guanyuan.values()).containsOnlyKeys(Variable.NO2);
      assertThat(guanyuan.value(Variable.NO2)).isCloseTo(56.413, within(0.001));
      Observation dongsiLate = store.observations("Dongsi", lastHour, LAST).get(0);
      assertThat(dongsiLate.values()).isEqualTo(Map.of(Variable.PM25, 35.0));
      assertThat(reasons)
          .hasSize(expectedReadingRejections)
          .filteredOn(r -> r.startsWith("time: duplicate reading"))
          .hasSize(5);
      assertThat(reasons)
          .contains(
              "station: unknown station 'Atlantis'",
              "station: missing",
              "time: missing",
              "payload: no valid value left (rejected: pm25)",
              "lat: 95 is out of range [-90, 90]",
              "payload: "
                  + HUGE.length()
                  + " bytes exceeds the limit of 65536 bytes for one reading")
          .anyMatch(r -> r.startsWith("payload: malformed JSON"))
          .anyMatch(r -> r.startsWith("time: 2099-01-31T21:30:00Z is in the future"))
          .anyMatch(r -> r.startsWith("time: 2016-01-31T16:30:00Z is late"));

      assertThat(hourly).hasSize(measured.size() + 2);

      // Values pass through exactly: PRSA_Data_Dongsi row "2016,2,1,0,14,23,13,31,800,49,...".
      Observation dongsi = store.observations("Dongsi", FROM, FROM.plusSeconds(1)).get(0);
      assertThat(dongsi.value(Variable.PM25)).isEqualTo(14.0);
      assertThat(dongsi.value(Variable.PM10)).isEqualTo(23.0);
      assertThat(dongsi.value(Variable.CO)).isEqualTo(800.0);
      assertThat(dongsi.value(Variable.PRES)).isEqualTo(1033.6);
      assertThat(dongsi.windDirection()).isEqualTo("NNW");
      for (Observation o : measured) {
        Observation stored =
            store.observations(o.stationId(), o.time(), o.time().plusSeconds(1)).get(0);
        assertThat(stored.values()).isEqualTo(o.values());
      }
    }
  }
}
