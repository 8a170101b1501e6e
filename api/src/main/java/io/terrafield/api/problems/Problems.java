package io.terrafield.api.problems;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * RFC 9457 problem details: one place for the {@code type} URIs and for writing a problem from a
 * servlet filter, where Spring MVC's message converters are not yet in play.
 */
public final class Problems {

  /** The base of the problem {@code type} URIs. */
  public static final String TYPE_BASE = "https://terrafield.io/problems/";

  /** Without null members ({@code properties} of a problem without any). */
  private static final ObjectMapper JSON =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private Problems() {}

  /** A problem with a {@code type} of {@link #TYPE_BASE} + {@code slug}. */
  public static ProblemDetail of(HttpStatus status, String slug, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setTitle(title);
    p.setType(URI.create(TYPE_BASE + slug));
    return p;
  }

  /** 400 naming the field and the value in {@code detail}. */
  public static ProblemDetail invalid(String detail) {
    return of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
  }

  /** 413 naming the limit. */
  public static ProblemDetail tooLarge(long limitBytes) {
    return of(
        HttpStatus.PAYLOAD_TOO_LARGE,
        "payload-too-large",
        "Request body too large",
        "body: larger than the limit of "
            + limitBytes
            + " bytes (terrafield.limits.max-body-size)");
  }

  /**
   * Writes {@code problem} as {@code application/problem+json} (its instance: the request path).
   */
  public static void write(
      HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
      throws IOException {
    if (problem.getInstance() == null && request != null) {
      problem.setInstance(URI.create(request.getRequestURI().replace(" ", "%20")));
    }
    response.setStatus(problem.getStatus());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    JSON.writeValue(response.getOutputStream(), problem);
  }
}
