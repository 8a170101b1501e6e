package io.terrafield.api.problems;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A query parameter an endpoint does not define is a 400 naming it, its value and the accepted ones
 * (OGC API - Features Part 1, /req/core/query-param-unknown), rather than an answer that silently
 * ignores it. The EDR queries list theirs ({@code EdrParameters}); every other endpoint of this api
 * accepts the {@link RequestParam} parameters of its handler method, checked here.
 */
@Component
public class QueryParameters implements HandlerInterceptor, WebMvcConfigurer {

  /** The EDR query paths, checked with their own lists by the EDR interceptor. */
  public static final String[] EDR_QUERIES = {
    "/collections/*/position",
    "/collections/*/area",
    "/collections/*/cube",
    "/collections/*/instances/*/position",
    "/collections/*/instances/*/area",
    "/collections/*/instances/*/cube",
    "/collections/*/locations",
    "/collections/*/locations/*"
  };

  /**
   * @param endpoint how the endpoint is named in the message, such as {@code GET /alerts}
   * @throws IllegalArgumentException (400) for the first parameter not in {@code accepted}
   */
  public static void requireKnown(
      String endpoint, Map<String, String[]> parameters, Collection<String> accepted) {
    for (Map.Entry<String, String[]> p : parameters.entrySet()) {
      if (!accepted.contains(p.getKey())) {
        String[] values = p.getValue();
        throw new IllegalArgumentException(
            p.getKey()
                + ": '"
                + (values == null || values.length == 0 ? "" : String.join(",", values))
                + "' is not a parameter of "
                + endpoint
                + "; accepted: "
                + accepted);
      }
    }
  }

  /**
   * The number of items a {@code limit} asks for: above {@code max} it is capped at {@code max}
   * (OGC API practice), not refused; absent: {@code absent}.
   *
   * @throws IllegalArgumentException (400) naming {@code limit} when it is zero or negative
   */
  public static int limit(BigInteger limit, int absent, int max) {
    if (limit == null) {
      return absent;
    }
    if (limit.signum() <= 0) {
      throw new IllegalArgumentException(
          "limit: " + limit + " is not a positive integer (above " + max + " means " + max + ")");
    }
    return limit.min(BigInteger.valueOf(max)).intValueExact();
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(this).excludePathPatterns(EDR_QUERIES);
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object h) {
    if (!(h instanceof HandlerMethod method)
        || !method.getBeanType().getPackageName().startsWith("io.terrafield.api")
        || method.getBeanType().getSimpleName().startsWith("ProblemError")
        || request.getParameterMap().isEmpty()) {
      return true;
    }
    requireKnown(
        request.getMethod() + " " + request.getRequestURI(),
        request.getParameterMap(),
        accepted(method));
    return true;
  }

  /** The names of the handler method's {@link RequestParam} parameters. */
  static List<String> accepted(HandlerMethod method) {
    List<String> names = new ArrayList<>();
    for (MethodParameter p : method.getMethodParameters()) {
      RequestParam r = p.getParameterAnnotation(RequestParam.class);
      if (r != null) {
        String name = !r.name().isEmpty() ? r.name() : r.value();
        if (name.isEmpty()) {
          p.initParameterNameDiscovery(
              new org.springframework.core.DefaultParameterNameDiscoverer());
          name = p.getParameterName();
        }
        if (name != null) {
          names.add(name);
        }
      }
    }
    return names;
  }
}
