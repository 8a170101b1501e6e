package io.terrafield.api.forecasts;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The URL of the current request as the client sent it, for the {@code edrqueryendpoint} of GeoJSON
 * answers: the request URL and the raw query string, never decoded and encoded again (Spring's
 * {@code ServletUriComponentsBuilder.fromCurrentRequest().toUriString()} encoded {@code %20} a
 * second time to {@code %2520}, so following the link answered 400).
 */
final class SelfLinks {
  private SelfLinks() {}

  /** The current request's URL with its query string, as received. */
  static String currentRequest() {
    HttpServletRequest request =
        ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
    String query = request.getQueryString();
    return request.getRequestURL() + (query == null ? "" : "?" + query);
  }
}
