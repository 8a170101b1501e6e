package io.terrafield.api.security;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.terrafield.api.problems.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-client rate limit with Bucket4j token buckets: {@code requests-per-minute} tokens, refilled
 * greedily; a client is its API-key name when authenticated, else its remote address (set {@code
 * server.forward-headers-strategy} behind a proxy). Beyond the limit: 429 problem+json with {@code
 * Retry-After} in seconds. Actuator endpoints are exempt (probes must not be throttled). Time comes
 * from the injected {@link Clock}, so tests advance a fixed clock instead of waiting.
 */
final class RateLimitFilter extends OncePerRequestFilter {

  /** Past this many clients the table is cleared (a bound on memory, not a fairness rule). */
  private static final int MAX_CLIENTS = 10_000;

  private final long perMinute;
  private final TimeMeter time;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimitFilter(long perMinute, Clock clock) {
    this.perMinute = perMinute;
    this.time =
        new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            java.time.Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
          }

          @Override
          public boolean isWallClockBased() {
            return true;
          }
        };
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return request.getRequestURI().startsWith(request.getContextPath() + "/actuator/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String client = client(request);
    if (buckets.size() > MAX_CLIENTS) {
      buckets.clear();
    }
    Bucket bucket = buckets.computeIfAbsent(client, c -> newBucket());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      response.setHeader("RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
      chain.doFilter(request, response);
      return;
    }
    long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    response.setHeader("Retry-After", Long.toString(seconds));
    Problems.write(
        request,
        response,
        Problems.of(
            HttpStatus.TOO_MANY_REQUESTS,
            "rate-limited",
            "Too many requests",
            "client '"
                + client
                + "': more than "
                + perMinute
                + " requests per minute (terrafield.limits.requests-per-minute); retry after "
                + seconds
                + " s"));
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(l -> l.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
        .withCustomTimePrecision(time)
        .build();
  }

  private static String client(HttpServletRequest request) {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth != null && auth.isAuthenticated() && !(auth instanceof AnonymousAuthenticationToken)) {
      return "key:" + auth.getName();
    }
    return "ip:" + request.getRemoteAddr();
  }
}
