/**
 * Making the API safe to expose: Spring Security with API keys for writes (keys from configuration
 * or a Kubernetes Secret, 401/403 as problem+json), a request-body limit (413), a per-client
 * Bucket4j rate limit (429 with Retry-After), CORS and security headers. Configured by {@code
 * terrafield.security.*} and {@code terrafield.limits.*} ({@link
 * io.terrafield.api.security.SecuritySettings}).
 */
package io.terrafield.api.security;
