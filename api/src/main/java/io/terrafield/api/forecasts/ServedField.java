package io.terrafield.api.forecasts;

import io.terrafield.forecasting.serving.ForecastPipeline;
import io.terrafield.forecasting.serving.IssuedForecast;
import io.terrafield.store.Station;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Future;

/** The served field of one variable and its state, shared by the service and its queries. */
final class ServedField {
  private ServedField() {}

  /** The per-variable state. Fields are written by the forecast thread and read by queries. */
  static final class State {
    volatile Served served;
    volatile ForecastStatus status;
    volatile Future<Served> refit;
    volatile Instant firstIssuedAt;

    void status(ForecastStatus s) {
      status = s;
    }

    /** Replaces the served field; the old one is closed once no query uses it. */
    void swap(Served fresh) {
      Served old = served;
      served = fresh;
      if (old != null && old != fresh) {
        old.close();
      }
    }
  }

  /** A prepared pipeline with its stations and its newest issue. */
  static final class Served {
    final ForecastPipeline pipeline;
    final List<Station> stations;
    final Instant trainedThrough;
    volatile Instant syncedThrough;
    volatile IssuedForecast latest;
    volatile int lastIssued;

    Served(ForecastPipeline pipeline, List<Station> stations, Instant trainedThrough) {
      this.pipeline = pipeline;
      this.stations = List.copyOf(stations);
      this.trainedThrough = trainedThrough;
      this.syncedThrough = trainedThrough;
    }

    void close() {
      pipeline.close();
    }
  }
}
