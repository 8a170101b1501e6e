package io.terrafield.api.forecasts;

import java.time.Instant;

/**
 * What the forecast service of one variable is doing, in plain words for the dashboard.
 *
 * @param phase {@code waiting} (for history), {@code loading} (a fitted field), {@code fitting},
 *     {@code serving}, {@code failed} or {@code disabled}
 * @param message one plain-language line: what is happening and, where known, how long it takes
 * @param since when the phase began (the injected clock)
 */
public record ForecastStatus(String phase, String message, Instant since) {}
