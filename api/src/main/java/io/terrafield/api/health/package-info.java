/**
 * Operations: the readiness indicators (store, Kafka) behind Spring Boot Actuator's health probes;
 * metrics are Micrometer's, scraped at {@code /actuator/prometheus}.
 */
package io.terrafield.api.health;
