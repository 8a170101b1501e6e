package io.terrafield.api.edr;

import java.util.List;

/**
 * The conformance declaration ({@code GET /conformance}).
 *
 * @param conformsTo the URIs of the requirement classes implemented
 */
public record Conformance(List<String> conformsTo) {}
