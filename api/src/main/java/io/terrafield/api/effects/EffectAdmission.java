package io.terrafield.api.effects;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses {@code POST /effects} with 503 and {@code Retry-After} while the effect pool is full,
 * before the body is read: a refused request then costs no JSON parsing, so clients that keep
 * posting to a full pool take little CPU from ingestion. A request with an {@code Idempotency-Key}
 * goes through, so that a retry of a stored effect is still answered with it ({@link
 * EffectService#submit} refuses a new one). The check is advisory; {@link EffectService#submit}
 * holds the bound.
 */
final class EffectAdmission implements HandlerInterceptor {

  private final EffectService effects;

  EffectAdmission(EffectService effects) {
    this.effects = effects;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object h) {
    if ("POST".equals(request.getMethod()) && request.getHeader("Idempotency-Key") == null) {
      effects.refuseIfFull();
    }
    return true;
  }
}
