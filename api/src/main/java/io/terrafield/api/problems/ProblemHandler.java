package io.terrafield.api.problems;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.terrafield.api.collections.UnknownCollectionException;
import io.terrafield.api.forecasts.ForecastNotReadyException;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps errors to RFC 9457 problem+json responses with a message that names field and value. Spring
 * MVC's own exceptions (404, 405, 406, 415, missing parameters, type mismatches) come through
 * {@link ResponseEntityExceptionHandler}; unreadable bodies get the line, column and JSON path of
 * the fault; errors raised before Spring MVC (security, limits, the servlet container) are rendered
 * by {@link ProblemErrorController} and {@link Problems#write}.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

  @ExceptionHandler(UnknownCollectionException.class)
  ProblemDetail unknownCollection(UnknownCollectionException e) {
    return Problems.of(
        HttpStatus.NOT_FOUND, "unknown-collection", "Unknown collection", e.getMessage());
  }

  @ExceptionHandler(NotFoundException.class)
  ProblemDetail notFound(NotFoundException e) {
    return Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
  }

  @ExceptionHandler(ForecastNotReadyException.class)
  ResponseEntity<ProblemDetail> forecastNotReady(ForecastNotReadyException e) {
    ProblemDetail p =
        Problems.of(
            HttpStatus.SERVICE_UNAVAILABLE,
            "forecast-not-ready",
            "Forecast not ready",
            e.getMessage());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "30")
        .body(p);
  }

  @ExceptionHandler(ServiceBusyException.class)
  ResponseEntity<ProblemDetail> busy(ServiceBusyException e) {
    ProblemDetail p =
        Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Service busy", e.getMessage());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
        .body(p);
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail badRequest(IllegalArgumentException e) {
    return Problems.invalid(e.getMessage());
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest r) {
    PayloadTooLargeException tooLarge = cause(e, PayloadTooLargeException.class);
    if (tooLarge != null) {
      ProblemDetail p = Problems.tooLarge(tooLarge.limitBytes());
      return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(p);
    }
    ProblemDetail p = Problems.invalid(describe(e));
    return ResponseEntity.badRequest().body(p);
  }

  /** A required query parameter absent: 400 naming it (Spring's text names no value). */
  @Override
  protected ResponseEntity<Object> handleMissingServletRequestParameter(
      MissingServletRequestParameterException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest r) {
    return ResponseEntity.badRequest()
        .body(
            Problems.invalid(
                e.getParameterName()
                    + ": missing; a required query parameter of "
                    + (r instanceof ServletWebRequest w
                        ? w.getRequest().getRequestURI()
                        : "this endpoint")));
  }

  /** A query parameter that is not of its type ({@code resolution-x=abc}): 400 naming both. */
  @Override
  protected ResponseEntity<Object> handleTypeMismatch(
      TypeMismatchException e, HttpHeaders headers, HttpStatusCode status, WebRequest r) {
    return ResponseEntity.badRequest().body(Problems.invalid(describe(e)));
  }

  static String describe(TypeMismatchException e) {
    String name = e.getPropertyName() != null ? e.getPropertyName() : "parameter";
    Class<?> type = e.getRequiredType();
    String expected;
    if (type == int.class
        || type == Integer.class
        || type == long.class
        || type == Long.class
        || type == java.math.BigInteger.class) {
      expected = "an integer";
    } else if (type == double.class || type == Double.class || type == float.class) {
      expected = "a number";
    } else {
      expected = "a valid " + (type == null ? "value" : type.getSimpleName());
    }
    return name + ": '" + e.getValue() + "' is not " + expected;
  }

  /** A message naming where and what: JSON path, line and column, and the offending value. */
  static String describe(HttpMessageNotReadableException e) {
    Throwable cause = e.getCause();
    if (cause instanceof UnrecognizedPropertyException u) {
      List<String> known =
          u.getKnownPropertyIds() == null
              ? List.of()
              : u.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
      return path(u)
          + ": unknown field '"
          + u.getPropertyName()
          + "'"
          + at(u.getLocation())
          + "; known fields: "
          + known;
    }
    if (cause instanceof InvalidFormatException f) {
      return path(f)
          + ": '"
          + f.getValue()
          + "' is not a valid "
          + f.getTargetType().getSimpleName()
          + at(f.getLocation());
    }
    if (cause instanceof JsonMappingException m) {
      return path(m) + ": " + m.getOriginalMessage() + at(m.getLocation());
    }
    if (cause instanceof JsonProcessingException p) {
      return "body: malformed JSON" + at(p.getLocation()) + ": " + p.getOriginalMessage();
    }
    String message = e.getMostSpecificCause().getMessage();
    if (message == null || message.startsWith("Required request body is missing")) {
      // Spring's text names the Java handler method; the client needs the fact only.
      return "body: missing (the request has no JSON body)";
    }
    return "body: unreadable (" + message + ")";
  }

  /** A JSONPath-like location ({@code $.units[3].y}). */
  static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder("$");
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append('.').append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  static String names(Collection<?> values) {
    return values.stream().map(Object::toString).collect(Collectors.joining(", "));
  }
}
