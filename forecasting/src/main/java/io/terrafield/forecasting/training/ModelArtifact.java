package io.terrafield.forecasting.training;

import io.terrafield.forecasting.FieldConfig;
import io.terrafield.forecasting.Station;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * The manifest of one fitted field artifact ({@code <variable>/<version>.field} with {@code
 * <version>.json} beside it): what the field was fitted on, so that a server can rebuild the served
 * pipeline's history grid exactly as at training time.
 *
 * @param variable the variable key, e.g. {@code pm25}
 * @param version the artifact version, {@code cglubnf-<trainedThrough>-<hash>}
 * @param trainedThrough the newest hour of the training window (UTC)
 * @param historyHours the length of the training window, hours: it covers {@code [trainedThrough −
 *     historyHours + 1 h, trainedThrough]}
 * @param zone the offset of the history grid's local times
 * @param config the field configuration (the "feature config" a server must match)
 * @param stations the stations of the training grid, in its row order
 * @param field the field file
 */
public record ModelArtifact(
    String variable,
    String version,
    Instant trainedThrough,
    int historyHours,
    ZoneOffset zone,
    FieldConfig config,
    List<Station> stations,
    Path field) {

  /** Validates and copies. */
  public ModelArtifact {
    Objects.requireNonNull(variable, "artifact: variable");
    Objects.requireNonNull(version, "artifact: version");
    Objects.requireNonNull(trainedThrough, "artifact " + version + ": trainedThrough");
    if (historyHours < 1) {
      throw new IllegalArgumentException(
          "artifact " + version + ": historyHours must be >= 1, was " + historyHours);
    }
    Objects.requireNonNull(zone, "artifact " + version + ": zone");
    Objects.requireNonNull(config, "artifact " + version + ": config");
    stations = List.copyOf(stations);
    if (stations.isEmpty()) {
      throw new IllegalArgumentException("artifact " + version + ": no stations");
    }
    Objects.requireNonNull(field, "artifact " + version + ": field");
  }

  /** The first hour of the training window (UTC). */
  public Instant historyStart() {
    return trainedThrough.minusSeconds(3600L * (historyHours - 1));
  }
}
