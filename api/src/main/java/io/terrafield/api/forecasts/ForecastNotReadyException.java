package io.terrafield.api.forecasts;

/**
 * No forecast can be served yet (too little history, the first fit is running, forecasting is
 * disabled, …); answered with 503 problem+json whose detail starts with {@code forecast not ready:}
 * and gives the reason.
 */
public class ForecastNotReadyException extends RuntimeException {
  public ForecastNotReadyException(String reason) {
    super("forecast not ready: " + reason);
  }
}
