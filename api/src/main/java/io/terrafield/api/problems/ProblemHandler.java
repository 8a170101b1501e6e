package io.terrafield.api.problems;

import io.terrafield.api.collections.UnknownCollectionException;
import io.terrafield.api.forecasts.ForecastNotReadyException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Maps errors to RFC 9457 problem+json responses with a message that names field and value. */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

  @ExceptionHandler(UnknownCollectionException.class)
  ProblemDetail unknownCollection(UnknownCollectionException e) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    p.setTitle("Unknown collection");
    p.setType(URI.create("https://terrafield.io/problems/unknown-collection"));
    return p;
  }

  @ExceptionHandler(ForecastNotReadyException.class)
  ResponseEntity<ProblemDetail> forecastNotReady(ForecastNotReadyException e) {
    ProblemDetail p =
        ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    p.setTitle("Forecast not ready");
    p.setType(URI.create("https://terrafield.io/problems/forecast-not-ready"));
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header("Retry-After", "30")
        .body(p);
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail badRequest(IllegalArgumentException e) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    p.setTitle("Invalid request");
    p.setType(URI.create("https://terrafield.io/problems/invalid-request"));
    return p;
  }
}
