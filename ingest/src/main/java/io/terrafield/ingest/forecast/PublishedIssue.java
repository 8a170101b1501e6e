package io.terrafield.ingest.forecast;

import io.terrafield.store.Alert;
import io.terrafield.store.ForecastIssue;
import io.terrafield.store.ForecastRecord;
import java.util.List;
import java.util.Map;

/**
 * What the forecast job publishes for one variable and issue time: the issue row, its forecasts
 * (stations and cells, all leads), the alert messages of the issue (CloudEvents JSON in {@link
 * Alert#payload()}), and the input counts since the previous issue (see {@link
 * IssueForecastFunction}).
 */
public record PublishedIssue(
    ForecastIssue issue,
    List<ForecastRecord> forecasts,
    List<Alert> alerts,
    Map<String, Long> inputCounts) {

  /** Copies. */
  public PublishedIssue {
    forecasts = List.copyOf(forecasts);
    alerts = List.copyOf(alerts);
    inputCounts = Map.copyOf(inputCounts);
  }
}
