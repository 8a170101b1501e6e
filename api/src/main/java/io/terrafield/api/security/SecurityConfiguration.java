package io.terrafield.api.security;

import io.terrafield.api.problems.Problems;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Spring Security for the API: stateless, API keys ({@link ApiKeyAuthentication}) for every method
 * but GET/HEAD/OPTIONS (role {@code write}), reads open unless {@code
 * terrafield.security.read-open=false} (then role {@code read} or {@code write}); actuator health
 * and Prometheus open for probes and scrapers. 401 and 403 are problem+json. In the chain, before
 * authentication: the body-size limit (413); after it: the per-client rate limit (429). CORS from
 * {@code terrafield.security.cors-allowed-origins}; security headers (nosniff, frame DENY,
 * no-referrer, a restrictive CSP for framing and plugins, HSTS over HTTPS).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SecuritySettings.class, SecuritySettings.Limits.class})
public class SecurityConfiguration {

  @Bean
  SecurityFilterChain apiSecurity(
      HttpSecurity http, SecuritySettings settings, SecuritySettings.Limits limits, Clock clock)
      throws Exception {
    ApiKeyAuthentication keys = new ApiKeyAuthentication(settings.clients());
    AuthenticationFilter apiKeyFilter = new AuthenticationFilter(new ProviderManager(keys), keys);
    apiKeyFilter.setSuccessHandler((request, response, authentication) -> {});
    apiKeyFilter.setFailureHandler(
        (request, response, e) -> {
          response.setHeader(
              "WWW-Authenticate", "ApiKey header=\"" + ApiKeyAuthentication.HEADER + "\"");
          Problems.write(
              request,
              response,
              Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", e.getMessage()));
        });
    apiKeyFilter.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());

    AuthenticationEntryPoint unauthorized =
        (request, response, e) -> {
          response.setHeader(
              "WWW-Authenticate", "ApiKey header=\"" + ApiKeyAuthentication.HEADER + "\"");
          Problems.write(
              request,
              response,
              Problems.of(
                  HttpStatus.UNAUTHORIZED,
                  "unauthorized",
                  "Unauthorized",
                  request.getMethod()
                      + " "
                      + request.getRequestURI()
                      + " needs an API key in the "
                      + ApiKeyAuthentication.HEADER
                      + " header"));
        };
    AccessDeniedHandler forbidden =
        (request, response, e) ->
            Problems.write(
                request,
                response,
                Problems.of(
                    HttpStatus.FORBIDDEN,
                    "forbidden",
                    "Forbidden",
                    request.getMethod()
                        + " "
                        + request.getRequestURI()
                        + ": the API key's roles do not allow this"));

    http.csrf(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .cors(c -> c.configurationSource(cors(settings.corsAllowedOrigins())))
        .headers(
            h ->
                h.referrerPolicy(
                        r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                    .contentSecurityPolicy(
                        c -> c.policyDirectives("frame-ancestors 'none'; object-src 'none'")))
        .exceptionHandling(
            e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
        .addFilterBefore(
            new BodySizeLimitFilter(limits.maxBodySize().toBytes()),
            SecurityContextHolderFilter.class)
        .addFilterBefore(apiKeyFilter, BasicAuthenticationFilter.class)
        .addFilterAfter(
            new RateLimitFilter(limits.requestsPerMinute(), clock), BasicAuthenticationFilter.class)
        .authorizeHttpRequests(
            a -> {
              a.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.FORWARD).permitAll();
              a.requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/prometheus")
                  .permitAll();
              a.requestMatchers(HttpMethod.OPTIONS).permitAll();
              if (settings.readOpen()) {
                a.requestMatchers(HttpMethod.GET, "/**").permitAll();
                a.requestMatchers(HttpMethod.HEAD, "/**").permitAll();
              } else {
                a.requestMatchers(HttpMethod.GET, "/**").hasAnyRole("READ", "WRITE");
                a.requestMatchers(HttpMethod.HEAD, "/**").hasAnyRole("READ", "WRITE");
              }
              a.anyRequest().hasRole("WRITE");
            });
    return http.build();
  }

  private static UrlBasedCorsConfigurationSource cors(List<String> origins) {
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    if (!origins.isEmpty()) {
      CorsConfiguration c = new CorsConfiguration();
      c.setAllowedOrigins(origins);
      c.setAllowedMethods(List.of("GET", "HEAD", "POST", "OPTIONS"));
      c.setAllowedHeaders(
          List.of("Content-Type", "Accept", ApiKeyAuthentication.HEADER, "Idempotency-Key"));
      c.setExposedHeaders(List.of("Location", "Retry-After", "RateLimit-Remaining"));
      c.setMaxAge(3600L);
      source.registerCorsConfiguration("/**", c);
    }
    return source;
  }
}
