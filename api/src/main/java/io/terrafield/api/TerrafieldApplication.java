package io.terrafield.api;

import io.terrafield.api.runtime.TerrafieldProperties;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The Spring Boot application: REST API, dashboard and (optionally) the streaming runtime. Clients
 * authenticate with API keys ({@code SecurityConfiguration}); Spring's generated in-memory user
 * (and its "Using generated security password" log line) is not used, so it is left out.
 */
@SpringBootApplication(
    exclude = {DataSourceAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class})
@EnableConfigurationProperties(TerrafieldProperties.class)
public class TerrafieldApplication {}
