package io.terrafield.api.security;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code terrafield.security.*} and {@code terrafield.limits.*}. Keys come from configuration, so a
 * Kubernetes Secret mounted as environment variables works: {@code
 * TERRAFIELD_SECURITY_CLIENTS_OPS_KEY=…}, {@code TERRAFIELD_SECURITY_CLIENTS_OPS_ROLES=write}.
 *
 * @param readOpen whether GET requests need no key (default true)
 * @param clients API clients by name: their key and roles ({@code read}, {@code write})
 * @param corsAllowedOrigins origins allowed cross-origin requests (none by default)
 */
@ConfigurationProperties("terrafield.security")
public record SecuritySettings(
    @DefaultValue("true") boolean readOpen,
    Map<String, Client> clients,
    @DefaultValue List<String> corsAllowedOrigins) {

  public SecuritySettings {
    clients = clients == null ? Map.of() : Map.copyOf(clients);
    corsAllowedOrigins = corsAllowedOrigins == null ? List.of() : List.copyOf(corsAllowedOrigins);
    for (Map.Entry<String, Client> c : clients.entrySet()) {
      if (c.getValue().key() == null || c.getValue().key().length() < 8) {
        throw new IllegalArgumentException(
            "terrafield.security.clients."
                + c.getKey()
                + ".key: missing or shorter than 8 characters");
      }
      for (String role : c.getValue().roles()) {
        if (!role.equals("read") && !role.equals("write")) {
          throw new IllegalArgumentException(
              "terrafield.security.clients."
                  + c.getKey()
                  + ".roles: '"
                  + role
                  + "' is not read or write");
        }
      }
    }
  }

  /** One API client: its secret key and roles. */
  public record Client(String key, @DefaultValue("write") List<String> roles) {}

  /**
   * {@code terrafield.limits.*}.
   *
   * @param maxBodySize the largest request body accepted (413 beyond; default 2MB)
   * @param requestsPerMinute requests per client and minute before 429 (default 600)
   */
  @ConfigurationProperties("terrafield.limits")
  public record Limits(
      @DefaultValue("2MB") DataSize maxBodySize, @DefaultValue("600") long requestsPerMinute) {

    public Limits {
      if (maxBodySize.toBytes() < 1) {
        throw new IllegalArgumentException(
            "terrafield.limits.max-body-size: must be positive, was " + maxBodySize);
      }
      if (requestsPerMinute < 1) {
        throw new IllegalArgumentException(
            "terrafield.limits.requests-per-minute: must be positive, was " + requestsPerMinute);
      }
    }
  }
}
