package io.terrafield.api.collections;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A web link as OGC API uses it (RFC 8288 relation, media type, title).
 *
 * @param href the target
 * @param rel the relation ({@code self}, {@code alternate}, {@code conformance}, {@code data}, …)
 * @param type the media type of the target
 * @param title a human-readable label
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EdrLink(String href, String rel, String type, String title) {}
