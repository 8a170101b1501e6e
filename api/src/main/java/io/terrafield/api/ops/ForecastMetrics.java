package io.terrafield.api.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.terrafield.store.Variable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The forecast metrics, read from the store (see {@link StoredForecasts}) at most once per {@code
 * refresh} per variable, whatever the scrape rate:
 *
 * <ul>
 *   <li>{@code terrafield.forecast.issue.lag} (seconds, tag {@code variable}): clock time minus the
 *       newest stored issue time; in a replay of past data this is the distance to the replayed
 *       period, so look at the next one there;
 *   <li>{@code terrafield.forecast.issue.data.lag} (hours): the newest stored observation hour
 *       minus the newest observation hour the newest issue used (its issue time − 1 h); 0 when the
 *       forecast is up to date with the data;
 *   <li>{@code terrafield.forecast.served.picp90} (tags {@code variable}, {@code lead=1h}, {@code
 *       window=24h}): the fraction of the observed hours of the last 24 stored hours inside the 90
 *       % interval served for them; NaN before anything could be verified;
 *   <li>{@code terrafield.alerts.raised} (counter): alerts stored since this instance started.
 * </ul>
 *
 * Gauges answer NaN when the store has nothing to say. Thread-safe.
 */
final class ForecastMetrics implements MeterBinder {

  static final Duration COVERAGE_WINDOW = Duration.ofHours(24);

  private final StoredForecasts stored;
  private final AlertsRaised alerts;
  private final List<Variable> variables;
  private final Clock clock;
  private final Duration refresh;
  private final Map<Variable, Figures> figures = new EnumMap<>(Variable.class);

  private record Figures(Instant readAt, double lagSeconds, double dataLagHours, double picp90) {}

  ForecastMetrics(
      StoredForecasts stored,
      AlertsRaised alerts,
      List<Variable> variables,
      Clock clock,
      Duration refresh) {
    this.stored = stored;
    this.alerts = alerts;
    this.variables = List.copyOf(variables);
    this.clock = clock;
    this.refresh = refresh;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Variable v : variables) {
      Gauge.builder("terrafield.forecast.issue.lag", () -> figures(v).lagSeconds())
          .tag("variable", v.key())
          .baseUnit("seconds")
          .description("Clock time minus the newest stored forecast issue time")
          .register(registry);
      Gauge.builder("terrafield.forecast.issue.data.lag", () -> figures(v).dataLagHours())
          .tag("variable", v.key())
          .baseUnit("hours")
          .description("Newest stored observation hour minus the newest issue's newest hour")
          .register(registry);
      Gauge.builder("terrafield.forecast.served.picp90", () -> figures(v).picp90())
          .tags("variable", v.key(), "lead", "1h", "window", "24h")
          .description("Observed hours inside the served 90 % interval, last 24 stored hours")
          .register(registry);
    }
    FunctionCounter.builder("terrafield.alerts.raised", alerts, AlertsRaised::count)
        .description("Exceedance alerts stored since this instance started")
        .register(registry);
  }

  private synchronized Figures figures(Variable v) {
    Instant now = clock.instant();
    Figures f = figures.get(v);
    if (f == null || !now.isBefore(f.readAt().plus(refresh))) {
      f = read(v, now);
      figures.put(v, f);
    }
    return f;
  }

  private Figures read(Variable v, Instant now) {
    Optional<Instant> issue = stored.newestIssue(v);
    Optional<Instant> observed = stored.newestObservation(v);
    double lag = issue.map(t -> seconds(t, now)).orElse(Double.NaN);
    double dataLag =
        issue.isPresent() && observed.isPresent()
            ? Math.max(0, seconds(issue.get().minus(Duration.ofHours(1)), observed.get()) / 3600)
            : Double.NaN;
    double picp =
        observed.map(t -> stored.coverage90(v, t, COVERAGE_WINDOW).picp()).orElse(Double.NaN);
    return new Figures(now, lag, dataLag, picp);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
