package io.terrafield.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The repository contract every {@link TerrafieldStore} must pass; one subclass per database. Each
 * test gets a fresh, empty database from {@link #newDatabase()}. Other modules can extend this
 * class (it ships in the test-jar) to run the contract against their own wiring.
 */
public abstract class AbstractStoreContractTest {

  /** A fresh, empty database for one test; closing it discards it. */
  protected interface TestDatabase extends AutoCloseable {
    String url();

    String user();

    String password();

    @Override
    void close();
  }

  /** Creates the database for one test (may skip the test via JUnit assumptions). */
  protected abstract TestDatabase newDatabase();

  /** Whether {@code table.geom} has a spatial (GiST / R-tree) index. */
  protected abstract boolean hasSpatialIndex(Connection connection, String table)
      throws SQLException;

  protected static final Instant T0 = Instant.parse("2013-03-01T00:00:00Z");

  protected TestDatabase database;
  protected TerrafieldStore store;

  @BeforeEach
  void openStore() {
    database = newDatabase();
    store = Stores.open(database.url(), database.user(), database.password());
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
    if (database != null) {
      database.close();
    }
  }

  protected Connection rawConnection() throws SQLException {
    return DriverManager.getConnection(database.url(), database.user(), database.password());
  }

  protected static Station station(String id, double lon, double lat) {
    return new Station(id, "Station " + id, lon, lat, 42.5, "test", Map.of("kind", "rural"));
  }

  protected static Observation observation(String stationId, Instant time, double pm25) {
    Map<Variable, Double> values = new EnumMap<>(Variable.class);
    values.put(Variable.PM25, pm25);
    values.put(Variable.TEMP, -0.7);
    return new Observation(stationId, time, values, "NNW", 1);
  }

  private static Instant hour(int h) {
    return T0.plus(Duration.ofHours(h));
  }

  private void twoStations() {
    store.upsertStations(List.of(station("A", 116.397, 39.982), station("B", 9.68503, 53.52418)));
  }

  // ------------------------------------------------------------------ stations

  @Test
  void stationsRoundTripWithAllFields() {
    Station bare = new Station("C", null, -70.5, -33.4, null, "other", null);
    store.upsertStations(
        List.of(station("B", 9.68503, 53.52418), bare, station("A", 116.397, 39.982)));

    assertThat(store.stations())
        .containsExactly(station("A", 116.397, 39.982), station("B", 9.68503, 53.52418), bare);
    assertThat(store.station("C")).contains(bare);
    assertThat(store.station("nope")).isEmpty();
  }

  @Test
  void stationUpsertReplacesByIdAndIsIdempotent() {
    twoStations();
    Station renamed = new Station("A", "Aotizhongxin", 116.4, 39.9, null, "beijing", Map.of());
    store.upsertStations(List.of(renamed));
    store.upsertStations(List.of(renamed));

    assertThat(store.stations()).hasSize(2);
    assertThat(store.station("A")).contains(renamed);
  }

  @Test
  void aMovedOrRenamedStationGetsANewVersionAndAnUnchangedOneDoesNot() {
    Instant t1 = T0.plus(Duration.ofDays(30));
    Instant t2 = T0.plus(Duration.ofDays(60));
    Station first = station("N", 116.30, 39.90);
    Station moved = new Station("N", "New site", 116.35, 39.95, 50.0, "beijing", Map.of("k", "v"));

    assertThat(store.registerStations(List.of(first), T0)).hasSize(1);
    assertThat(store.registerStations(List.of(first), t1)).isEmpty();
    assertThat(store.registerStations(List.of(moved), t2))
        .singleElement()
        .satisfies(v -> assertThat(v.version()).isEqualTo(2));

    assertThat(store.station("N")).contains(moved);
    assertThat(store.stationVersions("N"))
        .containsExactly(
            new StationVersion(first, 1, T0, t2), new StationVersion(moved, 2, t2, null));
    assertThatThrownBy(() -> store.registerStations(List.of(first), t1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("station N: valid_from " + t1 + " is not after");
    assertThat(store.stationVersions("nope")).isEmpty();
  }

  @Test
  void anImportedStationBecomesVersionOneWhenFirstRegistered() {
    twoStations();
    Station moved = station("A", 116.5, 40.0);
    store.registerStations(List.of(moved), T0);

    assertThat(store.stationVersions("A"))
        .extracting(StationVersion::version, StationVersion::validFrom, StationVersion::validTo)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, Instant.EPOCH, T0),
            org.assertj.core.groups.Tuple.tuple(2, T0, null));
  }

  @Test
  void stationsInBoxUsesPositions() {
    twoStations();
    assertThat(store.stationsInBox(116, 39, 117, 40)).extracting(Station::id).containsExactly("A");
    assertThat(store.stationsInBox(-180, -90, 180, 90))
        .extracting(Station::id)
        .containsExactly("A", "B");
    assertThat(store.stationsInBox(0, 0, 1, 1)).isEmpty();
    assertThatThrownBy(() -> store.stationsInBox(10, 0, 5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(10.0, 0.0)");
  }

  // ------------------------------------------------------------------ observations

  @Test
  void upsertObservationsIsIdempotent() {
    twoStations();
    List<Observation> batch = new ArrayList<>();
    for (int h = 0; h < 30; h++) {
      batch.add(observation("A", hour(h), h));
      batch.add(observation("B", hour(h), 100 + h));
    }
    assertThat(store.upsertObservations(batch)).isEqualTo(60);
    List<Observation> first = store.observations("A", T0, hour(1000));

    assertThat(store.upsertObservations(batch)).isEqualTo(60);
    assertThat(store.countObservations()).isEqualTo(60);
    assertThat(store.observations("A", T0, hour(1000))).isEqualTo(first);
    assertThat(first).isEqualTo(batch.stream().filter(o -> o.stationId().equals("A")).toList());
  }

  @Test
  void redeliveryWithNewValuesReplacesTheRowAndLastDuplicateInABatchWins() {
    twoStations();
    store.upsertObservations(List.of(observation("A", T0, 10)));
    store.upsertObservations(
        List.of(observation("A", T0, 11), observation("A", T0, 12), observation("B", T0, 5)));

    assertThat(store.countObservations()).isEqualTo(2);
    assertThat(store.observations("A", T0, hour(1)))
        .singleElement()
        .satisfies(o -> assertThat(o.value(Variable.PM25)).isEqualTo(12.0));
  }

  @Test
  void observationsComeBackOrderedByTimeInAHalfOpenInterval() {
    twoStations();
    List<Observation> shuffled = new ArrayList<>();
    for (int h = 0; h < 48; h++) {
      shuffled.add(observation("A", hour(h), h));
    }
    Collections.shuffle(shuffled, new Random(7));
    store.upsertObservations(shuffled);

    List<Observation> window = store.observations("A", hour(10), hour(20));
    assertThat(window).extracting(Observation::time).containsExactly(hoursFrom(10, 20));
    assertThat(store.observations("B", T0, hour(48))).isEmpty();
    assertThat(store.countObservations("A", hour(10), hour(20))).isEqualTo(10);
    assertThat(store.countObservations("A", T0, hour(1000))).isEqualTo(48);
    assertThat(store.countObservations("B", T0, hour(48))).isZero();
  }

  @Test
  void theFirstValueTimeSkipsRowsWithoutTheVariable() {
    twoStations();
    store.upsertObservations(
        List.of(
            new Observation("A", hour(5), Map.of(Variable.PM25, 3.0), null, 1),
            new Observation("A", hour(2), Map.of(Variable.TEMP, 1.0), null, 1),
            new Observation("A", hour(9), Map.of(Variable.PM10, 7.0), null, 1)));

    assertThat(store.firstValueTime("A", Variable.PM25)).contains(hour(5));
    assertThat(store.firstValueTime("A", Variable.TEMP)).contains(hour(2));
    assertThat(store.firstValueTime("A", Variable.PM10)).contains(hour(9));
    assertThat(store.firstValueTime("A", Variable.O3)).isEmpty();
    assertThat(store.firstValueTime("B", Variable.PM25)).isEmpty();
  }

  private static Instant[] hoursFrom(int fromInclusive, int toExclusive) {
    Instant[] times = new Instant[toExclusive - fromInclusive];
    for (int i = 0; i < times.length; i++) {
      times[i] = hour(fromInclusive + i);
    }
    return times;
  }

  @Test
  void missingValuesStayMissingAndAllColumnsRoundTrip() {
    twoStations();
    Map<Variable, Double> all = new EnumMap<>(Variable.class);
    for (Variable v : Variable.values()) {
      all.put(v, v.ordinal() + 0.25);
    }
    Observation full = new Observation("A", T0, all, "SSW", 4);
    Observation empty = new Observation("A", hour(1), Map.of(), null, 1);
    store.upsertObservations(List.of(full, empty));

    assertThat(store.observations("A", T0, hour(2))).containsExactly(full, empty);
    assertThat(store.observations("A", hour(1), hour(2)).get(0).values()).isEmpty();
  }

  @Test
  void latestValuesTakeTheNewestNonMissingValuePerStation() {
    twoStations();
    store.upsertStations(List.of(station("C", 0, 0)));
    store.upsertObservations(
        List.of(
            observation("A", hour(0), 1),
            observation("A", hour(2), 3),
            observation("A", hour(1), 2),
            new Observation("A", hour(3), Map.of(Variable.TEMP, 1.0), null, 1),
            observation("B", hour(0), 50)));
    store.upsertObservations(
        List.of(new Observation("C", hour(5), Map.of(Variable.PM10, 9.0), null, 1)));

    List<LatestValue> latest = store.latestValues(Variable.PM25);
    assertThat(latest)
        .containsExactly(
            new LatestValue(station("A", 116.397, 39.982), Variable.PM25, 3, hour(2), 3),
            new LatestValue(station("B", 9.68503, 53.52418), Variable.PM25, 50, hour(0), 1));
    assertThat(store.latestValues(Variable.TEMP))
        .extracting(LatestValue::station)
        .extracting(Station::id)
        .containsExactly("A", "B");
    assertThat(store.latestValues(Variable.TEMP).get(0).value()).isEqualTo(1.0);
    assertThat(store.latestValues(Variable.O3)).isEmpty();
  }

  @Test
  void redeliveryThatErasesTheNewestValueFallsBackToTheOneBefore() {
    twoStations();
    store.upsertObservations(
        List.of(
            observation("A", hour(0), 1),
            observation("A", hour(1), 2),
            observation("A", hour(2), 3)));
    store.upsertObservations(
        List.of(new Observation("A", hour(2), Map.of(Variable.TEMP, 5.0), null, 1)));

    assertThat(store.latestValues(Variable.PM25))
        .containsExactly(
            new LatestValue(station("A", 116.397, 39.982), Variable.PM25, 2, hour(1), 2));
    assertThat(store.latestValues(Variable.TEMP).get(0).value()).isEqualTo(5.0);

    store.upsertObservations(
        List.of(
            new Observation("A", hour(0), Map.of(), null, 1),
            new Observation("A", hour(1), Map.of(), null, 1)));
    assertThat(store.latestValues(Variable.PM25)).isEmpty();
    assertThat(store.latestValues(Variable.TEMP))
        .extracting(LatestValue::count)
        .containsExactly(1L);
  }

  @Test
  void latestValuesMatchABruteForceRecountAfterRandomRedeliveries() {
    twoStations();
    store.upsertStations(List.of(station("C", 1, 1)));
    Random random = new Random(42);
    List<String> ids = List.of("A", "B", "C");
    for (int round = 0; round < 25; round++) {
      List<Observation> batch = new ArrayList<>();
      for (int k = 0; k < 1 + random.nextInt(12); k++) {
        Map<Variable, Double> values = new EnumMap<>(Variable.class);
        if (random.nextDouble() < 0.7) {
          values.put(Variable.PM25, (double) random.nextInt(300));
        }
        if (random.nextDouble() < 0.5) {
          values.put(Variable.TEMP, random.nextInt(40) - 10.0);
        }
        batch.add(
            new Observation(ids.get(random.nextInt(3)), hour(random.nextInt(30)), values, null, 1));
      }
      store.upsertObservations(batch);
    }

    for (Variable v : List.of(Variable.PM25, Variable.TEMP)) {
      List<LatestValue> expected = new ArrayList<>();
      for (String id : ids) {
        List<Observation> withValue =
            store.observations(id, T0, hour(30)).stream().filter(o -> o.value(v) != null).toList();
        if (!withValue.isEmpty()) {
          Observation newest = withValue.get(withValue.size() - 1);
          expected.add(
              new LatestValue(
                  store.station(id).orElseThrow(),
                  v,
                  newest.value(v),
                  newest.time(),
                  withValue.size()));
        }
      }
      assertThat(store.latestValues(v)).as(v.key()).isEqualTo(expected);
    }
  }

  @Test
  void unknownStationIsRejectedAndNothingOfTheBatchIsWritten() {
    twoStations();
    List<Observation> batch = List.of(observation("A", T0, 1), observation("Nowhere", T0, 2));

    assertThatThrownBy(() -> store.upsertObservations(batch))
        .isInstanceOf(UnknownStationException.class)
        .hasMessageContaining("'Nowhere'")
        .hasMessageContaining(T0.toString())
        .satisfies(e -> assertThat(((UnknownStationException) e).stationId()).isEqualTo("Nowhere"));
    assertThat(store.countObservations()).isZero();
  }

  @Test
  void emptyBatchesWriteNothing() {
    assertThat(store.upsertObservations(List.of())).isZero();
    assertThat(store.upsertForecasts(List.of())).isZero();
    assertThat(store.countObservations()).isZero();
    assertThat(store.latestValues(Variable.PM25)).isEmpty();
  }

  // ------------------------------------------------------------------ spatial columns

  @Test
  void geometryColumnsHoldWgs84PointsWithASpatialIndex() throws SQLException {
    twoStations();
    store.upsertForecasts(List.of(forecast("A", 116.397, 39.982, hour(0), 1, 10)));
    try (Connection c = rawConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT id, ST_SRID(geom), ST_X(geom), ST_Y(geom) FROM stations ORDER BY id")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("A");
        assertThat(rs.getInt(2)).isEqualTo(4326);
        assertThat(rs.getDouble(3)).isEqualTo(116.397);
        assertThat(rs.getDouble(4)).isEqualTo(39.982);
      }
      try (ResultSet rs = s.executeQuery("SELECT ST_SRID(geom), ST_X(geom) FROM forecasts")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(4326);
        assertThat(rs.getDouble(2)).isEqualTo(116.397);
      }
      assertThat(hasSpatialIndex(c, "stations")).as("spatial index on stations.geom").isTrue();
      assertThat(hasSpatialIndex(c, "forecasts")).as("spatial index on forecasts.geom").isTrue();
    }
  }

  // ------------------------------------------------------------------ forecasts

  protected static ForecastRecord forecast(
      String target, double lon, double lat, Instant issue, int horizon, double mean) {
    return forecast(target, TargetKind.STATION, lon, lat, issue, horizon, mean);
  }

  protected static ForecastRecord forecast(
      String target,
      TargetKind kind,
      double lon,
      double lat,
      Instant issue,
      int horizon,
      double mean) {
    return new ForecastRecord(
        target,
        kind,
        lon,
        lat,
        Variable.PM25,
        "persistence",
        "persistence-v1",
        issue,
        issue.plus(Duration.ofHours(horizon - 1L)),
        horizon,
        new ForecastRecord.Quantiles(
            mean - 25, mean - 20, mean - 5, mean, mean + 5, mean + 20, mean + 25),
        mean + 0.5,
        75,
        mean > 75 ? 0.5 : 0.01,
        "us-epa-aqi",
        mean > 55.4 ? "Unhealthy" : "Moderate",
        1.25);
  }

  @Test
  void forecastsAreIdempotentAndTheNewestIssueIsLatest() {
    List<ForecastRecord> early = new ArrayList<>();
    List<ForecastRecord> late = new ArrayList<>();
    for (int h = 1; h <= 3; h++) {
      early.add(forecast("A", 116.397, 39.982, hour(0), h, 10 * h));
      late.add(forecast("A", 116.397, 39.982, hour(1), h, 11 * h));
    }
    store.upsertForecasts(late);
    store.upsertForecasts(early);
    store.upsertForecasts(early);

    assertThat(store.latestForecasts("A", Variable.PM25, "persistence")).isEqualTo(late);
    assertThat(store.latestForecasts("A", Variable.PM25, "other")).isEmpty();
    assertThat(store.latestForecasts("A", Variable.PM10, "persistence")).isEmpty();
  }

  @Test
  void forecastsInBoxReturnTheNewestIssueForOneValidTime() {
    store.upsertForecasts(
        List.of(
            forecast("cell-1", 116.0, 40.0, hour(0), 3, 10),
            forecast("cell-1", 116.0, 40.0, hour(1), 2, 12),
            forecast("cell-2", 116.5, 40.5, hour(0), 3, 20),
            forecast("far", 9.0, 50.0, hour(0), 3, 30)));

    List<ForecastRecord> inBox =
        store.forecastsInBox(Variable.PM25, "persistence", hour(2), 115, 39, 117, 41);
    assertThat(inBox).extracting(ForecastRecord::targetId).containsExactly("cell-1", "cell-2");
    assertThat(inBox.get(0).quantiles().q50()).isEqualTo(12);
    assertThat(inBox.get(0).issueTime()).isEqualTo(hour(1));
  }

  // ------------------------------------------------------------------ satellite features, alerts

  @Test
  void satelliteFeaturesAreIdempotentAndOrdered() {
    SatelliteFeature ndvi = new SatelliteFeature("S2", "A", hour(5), "ndvi", 0.42);
    SatelliteFeature ndviEarlier = new SatelliteFeature("S1", "A", hour(1), "ndvi", 0.40);
    SatelliteFeature built = new SatelliteFeature("S1", "A", hour(1), "built_up", 0.1);
    SatelliteFeature other = new SatelliteFeature("S1", "B", hour(1), "ndvi", 0.3);
    store.upsertSatelliteFeatures(List.of(ndvi, ndviEarlier, built, other));
    store.upsertSatelliteFeatures(List.of(ndvi, ndviEarlier, built, other));

    assertThat(store.satelliteFeatures("A", T0, hour(10)))
        .containsExactly(built, ndviEarlier, ndvi);
    assertThat(store.satelliteFeatures("A", hour(2), hour(10))).containsExactly(ndvi);
  }

  @Test
  void alertsRoundTripVerbatimAndListOldestFirst() {
    String payload = "{\"specversion\": \"1.0\",  \"type\":\"io.terrafield.alert\"}";
    Alert first = new Alert("a-2", "A", Variable.PM25, hour(6), 75, 0.9, hour(1), payload);
    Alert second = new Alert("a-1", "B", Variable.PM10, hour(7), 150, 0.5, hour(2), null);
    Alert third = new Alert("a-3", "A", Variable.PM25, hour(8), 75, 0.95, hour(2), "{}");
    store.upsertAlerts(List.of(third, first, second));
    store.upsertAlerts(List.of(first));

    assertThat(store.alert("a-2")).contains(first);
    assertThat(store.alert("none")).isEmpty();
    assertThat(store.alertsIssuedSince(T0, 10)).containsExactly(first, second, third);
    assertThat(store.alertsIssuedSince(hour(2), 1)).containsExactly(second);
  }

  // ------------------------------------------------------------------ effects

  @Test
  void effectsRoundTripThroughTheirLifecycleNewestFirst() {
    EffectRecord queued =
        new EffectRecord(
            "e-1", null, "queued", "{\"treatment\":\"t\"}", null, null, hour(1), null, null);
    EffectRecord later =
        new EffectRecord("e-2", "key-2", "queued", "{}", null, null, hour(2), null, null);
    assertThat(store.insertEffect(queued)).isEqualTo(queued);
    store.insertEffect(later);

    store.effectStarted("e-1", hour(3));
    store.effectFinished("e-1", "succeeded", "{\"estimate\":2.0}", null, hour(4));

    assertThat(store.effect("e-1"))
        .contains(
            new EffectRecord(
                "e-1",
                null,
                "succeeded",
                "{\"treatment\":\"t\"}",
                "{\"estimate\":2.0}",
                null,
                hour(1),
                hour(3),
                hour(4)));
    assertThat(store.effect("none")).isEmpty();
    assertThat(store.effects(10)).extracting(EffectRecord::id).containsExactly("e-2", "e-1");
    assertThat(store.effects(1)).extracting(EffectRecord::id).containsExactly("e-2");
  }

  @Test
  void anEffectWithAKnownIdempotencyKeyReturnsTheFirstOne() {
    EffectRecord first =
        new EffectRecord("e-1", "retry-me", "queued", "{}", null, null, hour(1), null, null);
    EffectRecord retry =
        new EffectRecord("e-9", "retry-me", "queued", "{}", null, null, hour(2), null, null);
    store.insertEffect(first);

    assertThat(store.insertEffect(retry)).isEqualTo(first);
    assertThat(store.effectByIdempotencyKey("retry-me")).contains(first);
    assertThat(store.effectByIdempotencyKey("other")).isEmpty();
    assertThat(store.effects(10)).containsExactly(first);
  }

  // ------------------------------------------------------------------ concurrency and reopening

  @Test
  void concurrentWritersOfOverlappingBatchesConverge() throws Exception {
    int stations = 4;
    int hours = 24;
    List<Station> all = new ArrayList<>();
    for (int s = 0; s < stations; s++) {
      all.add(station("S" + s, 100 + s, 30 + s));
    }
    store.upsertStations(all);
    List<Observation> everything = new ArrayList<>();
    for (int s = 0; s < stations; s++) {
      for (int h = 0; h < hours; h++) {
        everything.add(observation("S" + s, hour(h), s * 1000 + h));
      }
    }
    int writers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    try {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int seed = w;
        tasks.add(
            () -> {
              Random random = new Random(seed);
              int written = 0;
              for (int round = 0; round < 3; round++) {
                List<Observation> batch = new ArrayList<>(everything);
                Collections.shuffle(batch, random);
                written += store.upsertObservations(batch.subList(0, batch.size() / 2));
                store.upsertStations(List.of(all.get(random.nextInt(stations))));
              }
              return written;
            });
      }
      tasks.add(
          () -> {
            int reads = 0;
            for (int i = 0; i < 10; i++) {
              reads += store.latestValues(Variable.PM25).size();
            }
            return reads;
          });
      for (Future<Integer> f : pool.invokeAll(tasks)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    store.upsertObservations(everything);

    assertThat(store.countObservations()).isEqualTo((long) stations * hours);
    assertThat(store.latestValues(Variable.PM25))
        .hasSize(stations)
        .allSatisfy(
            lv -> {
              assertThat(lv.count()).isEqualTo(hours);
              assertThat(lv.time()).isEqualTo(hour(hours - 1));
            });
    assertThat(store.observations("S3", T0, hour(hours)))
        .isEqualTo(everything.subList(3 * hours, 4 * hours));
  }

  @Test
  void reopeningKeepsDataAndDoesNotMigrateTwice() {
    twoStations();
    store.upsertObservations(List.of(observation("A", T0, 1)));
    store.close();
    store = Stores.open(database.url(), database.user(), database.password());

    assertThat(store.countObservations()).isEqualTo(1);
    assertThat(store.stations()).hasSize(2);
  }
}
