package io.terrafield.api.collections;

import io.terrafield.api.problems.QueryParameters;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses the parameters an EDR endpoint does not define ({@link EdrParameters#ACCEPTED}) and
 * applies {@link EdrParameters#check} before every EDR query handler ({@code
 * /collections/{id}/position|area|cube|locations}), so the query controllers parse only their own
 * parameters.
 */
@Component
class EdrQueryInterceptor implements HandlerInterceptor, WebMvcConfigurer {

  private final EdrQueries queries;

  /** Built from the same properties as the {@link EdrQueries} bean, so web slices need no more. */
  EdrQueryInterceptor(
      @Value("${terrafield.forecast.enabled:true}") boolean enabled,
      @Value("${terrafield.forecast.variables:pm25}") List<String> variables) {
    this.queries = new EdrQueries(enabled, variables);
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(this).addPathPatterns(QueryParameters.EDR_QUERIES);
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object h) {
    @SuppressWarnings("unchecked")
    Map<String, String> variables =
        (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
    if (variables == null || variables.get("id") == null) {
      return true;
    }
    String path = request.getRequestURI();
    boolean location = path.matches(".*/locations/[^/]+$");
    String query = location ? "locations" : path.substring(path.lastIndexOf('/') + 1);
    EdrParameters.requireKnown(location ? "location" : query, request.getParameterMap());
    EdrParameters.check(
        query,
        CollectionsController.pollutant(variables.get("id")),
        request.getParameterMap(),
        queries);
    return true;
  }
}
