package io.terrafield.api.problems;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page ({@code /error}) as problem+json instead of Spring Boot's whitelabel
 * page: errors raised outside Spring MVC (a request the firewall rejects, such as a path traversal
 * {@code /..%2F}, or a {@code sendError} from a filter) reach the client in the same RFC 9457 form
 * as every other error.
 */
@RestController
class ProblemErrorController implements ErrorController {

  @RequestMapping(value = "${server.error.path:/error}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status =
        code instanceof Integer i && HttpStatus.resolve(i) != null
            ? HttpStatus.resolve(i)
            : HttpStatus.INTERNAL_SERVER_ERROR;
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
    Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    String detail;
    if (status == HttpStatus.BAD_REQUEST && exception != null) {
      detail = "path: '" + uri + "' was rejected: " + ((Throwable) exception).getMessage();
    } else if (status.is5xxServerError()) {
      detail = "the server failed to answer " + uri + "; see its log";
    } else if (message instanceof String m && !m.isBlank()) {
      detail = m;
    } else {
      detail = status.getReasonPhrase() + ": " + uri;
    }
    ProblemDetail p =
        Problems.of(
            status,
            status.is5xxServerError() ? "internal-error" : "http-" + status.value(),
            status.getReasonPhrase(),
            detail);
    if (uri instanceof String u) {
      try {
        p.setInstance(URI.create(u));
      } catch (IllegalArgumentException ignored) {
        // a rejected path may not be a valid URI; the detail names it
      }
    }
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
  }
}
