package io.terrafield.api.forecasts;

/**
 * A queried position lies outside the forecast domain (too far from the station network); answered
 * with 400 problem+json whose detail names the position, the distance to the nearest station and
 * the domain's radius.
 */
public class OutsideForecastDomainException extends IllegalArgumentException {
  public OutsideForecastDomainException(String detail) {
    super(detail);
  }
}
