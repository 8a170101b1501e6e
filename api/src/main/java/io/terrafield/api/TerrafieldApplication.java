package io.terrafield.api;

import io.terrafield.api.runtime.TerrafieldProperties;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The Spring Boot application: REST API, dashboard and (optionally) the streaming runtime. */
@SpringBootApplication(exclude = DataSourceAutoConfiguration.class)
@EnableConfigurationProperties(TerrafieldProperties.class)
public class TerrafieldApplication {}
