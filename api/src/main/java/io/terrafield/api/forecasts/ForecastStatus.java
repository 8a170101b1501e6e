package io.terrafield.api.forecasts;

import java.time.Instant;

/**
 * What the forecasts of one variable are doing, in plain words for the dashboard: the training
 * phases come from {@link ForecastTrainer}, {@code serving} from the store's newest issue.
 *
 * @param phase {@code waiting} (for history), {@code loading} (the training history), {@code
 *     fitting}, {@code published} (an artifact waits for the forecast job's first issue), {@code
 *     serving}, {@code failed} or {@code disabled}
 * @param message one plain-language line: what is happening and, where known, how long it takes
 * @param since when the phase began (the injected clock)
 */
public record ForecastStatus(String phase, String message, Instant since) {}
