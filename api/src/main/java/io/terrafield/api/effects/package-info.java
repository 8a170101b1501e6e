/**
 * Effects as resources: {@code POST /effects} stores a validated request and queues its estimation
 * by the causal module on a bounded worker pool ({@link io.terrafield.api.effects.EffectService});
 * {@code GET /effects/{id}} and {@code GET /effects} read the stored status, result and timings.
 */
package io.terrafield.api.effects;
