package io.terrafield.api.security;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;

/**
 * API keys for Spring Security: a converter that reads {@code X-API-Key} (or {@code Authorization:
 * ApiKey …}) and a provider that matches it against the configured clients by SHA-256 digest in
 * constant time. A matched key authenticates as the client's name with {@code ROLE_READ} and/or
 * {@code ROLE_WRITE}.
 */
final class ApiKeyAuthentication implements AuthenticationConverter, AuthenticationProvider {

  static final String HEADER = "X-API-Key";

  private record Known(String name, byte[] digest, List<SimpleGrantedAuthority> authorities) {}

  private final List<Known> known;

  ApiKeyAuthentication(Map<String, SecuritySettings.Client> clients) {
    this.known =
        clients.entrySet().stream()
            .map(
                e ->
                    new Known(
                        e.getKey(),
                        sha256(e.getValue().key()),
                        e.getValue().roles().stream()
                            .map(r -> new SimpleGrantedAuthority("ROLE_" + r.toUpperCase()))
                            .toList()))
            .toList();
  }

  @Override
  public Authentication convert(HttpServletRequest request) {
    String key = request.getHeader(HEADER);
    String authorization = request.getHeader("Authorization");
    if (key == null
        && authorization != null
        && authorization.regionMatches(true, 0, "ApiKey ", 0, 7)) {
      key = authorization.substring(7).trim();
    }
    return key == null ? null : new PreAuthenticatedAuthenticationToken("api-key", key);
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    byte[] digest = sha256(String.valueOf(authentication.getCredentials()));
    Known match = null;
    for (Known k : known) {
      if (MessageDigest.isEqual(k.digest(), digest)) {
        match = k;
      }
    }
    if (match == null) {
      throw new BadCredentialsException(HEADER + ": the key is not one of the configured keys");
    }
    return UsernamePasswordAuthenticationToken.authenticated(
        match.name(), null, match.authorities());
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return PreAuthenticatedAuthenticationToken.class.isAssignableFrom(authentication);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
