package io.terrafield.api.edr;

import io.terrafield.api.collections.EdrLink;
import java.util.List;

/**
 * The OGC API landing page ({@code GET /}).
 *
 * @param title the service
 * @param description what it serves
 * @param links self, alternate (HTML dashboard), service-desc, service-doc, conformance, data
 */
public record LandingPage(String title, String description, List<EdrLink> links) {}
