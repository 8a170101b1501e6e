package io.terrafield.api.forecasts;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.api.TerrafieldApplication;
import io.terrafield.store.ForecastRecord;
import io.terrafield.store.Observation;
import io.terrafield.store.Station;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import io.terrafield.store.importers.BeijingImporter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The served intervals on the real demo month (12 Beijing stations, February 2016), replayed in
 * steps of one day as the running service sees it: the small field is refitted every 72 h of data
 * and issues 1-72 h forecasts at each step; the online {@link IntervalCalibration} learns from the
 * verified ones. Scored on the real observations: the forecasts issued in the first week (before
 * any calibration) against those issued after two weeks (7 days of verifications).
 */
class ForecastCalibrationIT {

  static final Path BEIJING = Path.of("../demo-data/airquality/beijing");
  static final Instant FROM = Instant.parse("2016-01-31T16:00:00Z");

  @Test
  void theServedIntervalsAreRecalibratedOnTheirOwnVerifiedForecasts() {
    ConfigurableApplicationContext app =
        SpringApplication.run(
            TerrafieldApplication.class,
            "--server.port=0",
            "--terrafield.streaming.enabled=false",
            "--terrafield.data=" + BEIJING.getParent().getParent().toAbsolutePath(),
            "--terrafield.store.url=jdbc:h2:mem:calibration-"
                + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1",
            "--terrafield.forecast.interval=1h",
            "--terrafield.forecast.epochs=8");
    try {
      TerrafieldStore store = app.getBean(TerrafieldStore.class);
      ForecastService service = app.getBean(ForecastService.class);
      BeijingImporter beijing = new BeijingImporter(BEIJING);
      List<Station> stations = beijing.stations();
      store.upsertStations(stations);
      Map<String, Double> truth = new HashMap<>();
      try (Stream<Observation> s =
          beijing.observationsByTime(FROM, FROM.plus(Duration.ofDays(29)))) {
        s.forEach(
            o -> {
              if (o.value(Variable.PM25) != null) {
                truth.put(o.stationId() + "|" + o.time(), o.value(Variable.PM25));
              }
            });
      }

      List<ForecastRecord> early = new ArrayList<>();
      List<ForecastRecord> late = new ArrayList<>();
      Instant seeded = FROM;
      Instant end = FROM.plus(Duration.ofDays(26));
      long t0 = System.nanoTime();
      for (Instant to = FROM.plus(Duration.ofDays(4));
          to.isBefore(end);
          to = to.plus(Duration.ofDays(1))) {
        try (Stream<Observation> s = beijing.observationsByTime(seeded, to)) {
          store.upsertObservations(s.toList());
        }
        seeded = to;
        service.runOnce();
        boolean isEarly = to.isBefore(FROM.plus(Duration.ofDays(11)));
        boolean isLate = !to.isBefore(FROM.plus(Duration.ofDays(14)));
        for (Station st : stations) {
          for (ForecastRecord r :
              store.latestForecasts(st.id(), Variable.PM25, ForecastService.MODEL)) {
            if (r.issueTime().equals(to) && isEarly) {
              early.add(r);
            } else if (r.issueTime().equals(to) && isLate) {
              late.add(r);
            }
          }
        }
      }
      double[] before = picp90(early, truth);
      double[] after = picp90(late, truth);
      System.out.printf(
          "served PICP90: issues of days 4-11 %.3f (n=%d), of days 14-26 %.3f (n=%d); %.0f s%n",
          before[0], (long) before[1], after[0], (long) after[1], (System.nanoTime() - t0) / 1e9);
      for (IntervalCalibration.Band b : service.calibration(Variable.PM25)) {
        System.out.printf(
            "  band <= %2d h: n=%4d raw PICP90 %.3f / 95 %.3f, served %.3f / %.3f, factor %.2f%n",
            b.lastHour(),
            b.verified(),
            b.rawPicp90(),
            b.rawPicp95(),
            b.servedPicp90(),
            b.servedPicp95(),
            b.factor());
      }
      assertThat(before[1]).isGreaterThan(500);
      assertThat(after[1]).isGreaterThan(1500);
      assertThat(after[0]).isBetween(0.8, 0.97);
      // measured: days 4-11 0.784 (n = 6019), days 14-26 0.907-0.912 (n = 10219)
      assertThat(after[0]).isGreaterThan(before[0]);
      for (IntervalCalibration.Band b : service.calibration(Variable.PM25)) {
        assertThat(b.verified()).isGreaterThanOrEqualTo(IntervalCalibration.MIN_VERIFIED);
      }
    } finally {
      app.close();
    }
  }

  /** {PICP90, n} of stored forecasts against the observations (unobserved targets skipped). */
  static double[] picp90(List<ForecastRecord> records, Map<String, Double> truth) {
    int n = 0;
    int in = 0;
    for (ForecastRecord r : records) {
      Double y = truth.get(r.targetId() + "|" + r.validTime());
      if (y != null) {
        n++;
        in += y >= r.q05() && y <= r.q95() ? 1 : 0;
      }
    }
    return new double[] {(double) in / n, n};
  }
}
