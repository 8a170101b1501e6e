package io.terrafield.api.effects;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Admission of {@code POST /effects}: takes a slot of the effect pool before the body is read
 * ({@link EffectService#reserve}), so that while the pool is full a request is refused with 503 and
 * {@code Retry-After} without being parsed (clients that keep posting to a full pool take little
 * CPU from ingestion), and so that of several requests arriving together only as many are parsed as
 * there are free slots. The controller hands the slot to {@link EffectService#submit}; whatever
 * happens (400, a replayed {@code Idempotency-Key}), an unused slot is given back after the
 * request. A request with an {@code Idempotency-Key} takes no slot here, so that a retry of a
 * stored effect is answered with it even when the pool is full.
 */
final class EffectAdmission implements HandlerInterceptor {

  /** The request attribute holding the {@link EffectService.Reservation}. */
  static final String RESERVATION = "io.terrafield.api.effects.EffectAdmission.reservation";

  private final EffectService effects;

  EffectAdmission(EffectService effects) {
    this.effects = effects;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object h) {
    if ("POST".equals(request.getMethod()) && request.getHeader("Idempotency-Key") == null) {
      request.setAttribute(RESERVATION, effects.reserve());
    }
    return true;
  }

  @Override
  public void afterCompletion(
      HttpServletRequest request, HttpServletResponse response, Object h, Exception e) {
    if (request.getAttribute(RESERVATION) instanceof EffectService.Reservation reservation) {
      reservation.release();
    }
  }
}
