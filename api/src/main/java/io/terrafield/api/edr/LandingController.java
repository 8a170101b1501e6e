package io.terrafield.api.edr;

import io.terrafield.api.collections.EdrLink;
import io.terrafield.api.collections.EdrParameters;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * OGC API discovery: the landing page ({@code GET /}: JSON with links; the HTML dashboard for
 * {@code f=html} or a client that prefers {@code text/html}) and {@code GET /conformance}, which
 * lists only the requirement classes this server implements.
 */
@Controller
public class LandingController {

  /** The requirement classes implemented (OGC API Common parts 1 and 2, OGC API EDR 1.1). */
  static final List<String> CONFORMS_TO =
      List.of(
          "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
          "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
          "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/oas30",
          "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
          "http://www.opengis.net/spec/ogcapi-edr-1/1.1/conf/core",
          "http://www.opengis.net/spec/ogcapi-edr-1/1.1/conf/collections",
          "http://www.opengis.net/spec/ogcapi-edr-1/1.1/conf/json",
          "http://www.opengis.net/spec/ogcapi-edr-1/1.1/conf/geojson",
          "http://www.opengis.net/spec/ogcapi-edr-1/1.1/conf/covjson",
          "http://www.opengis.net/spec/ogcapi-edr-1/1.1/conf/oas30");

  @GetMapping("/")
  public Object landing(@RequestParam(required = false) String f, HttpServletRequest request) {
    Format format = Format.of(f, request.getHeader("Accept"));
    if (format == Format.HTML) {
      return new ModelAndView("forward:/index.html");
    }
    return org.springframework.http.ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .body(landingPage());
  }

  @GetMapping(value = "/conformance", produces = MediaType.APPLICATION_JSON_VALUE)
  @ResponseBody
  public Conformance conformance(@RequestParam(required = false) String f) {
    EdrParameters.requireJson(f);
    return new Conformance(CONFORMS_TO);
  }

  static LandingPage landingPage() {
    String base = ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
    return new LandingPage(
        "Terrafield",
        "Air-quality observations and calibrated forecasts (OGC API EDR, CoverageJSON, GeoJSON),"
            + " exceedance alerts and treatment-effect estimates",
        List.of(
            new EdrLink(base + "/", "self", "application/json", "This document"),
            new EdrLink(base + "/?f=html", "alternate", "text/html", "The map dashboard"),
            new EdrLink(
                base + "/v3/api-docs",
                "service-desc",
                "application/vnd.oai.openapi+json;version=3.0",
                "The API definition (OpenAPI 3)"),
            new EdrLink(
                base + "/swagger-ui/index.html",
                "service-doc",
                "text/html",
                "The API documentation"),
            new EdrLink(
                base + "/conformance",
                "conformance",
                "application/json",
                "The requirement classes this server implements"),
            new EdrLink(base + "/collections", "data", "application/json", "The collections"),
            new EdrLink(base + "/alerts", "related", "application/geo+json", "Exceedance alerts"),
            new EdrLink(base + "/effects", "related", "application/json", "Effect estimates")));
  }

  enum Format {
    JSON,
    HTML;

    /** {@code f} wins; else the Accept header (HTML only when preferred over JSON). */
    static Format of(String f, String accept) {
      if (f != null) {
        return switch (f.toLowerCase(java.util.Locale.ROOT)) {
          case "json", "application/json" -> JSON;
          case "html", "text/html" -> HTML;
          default ->
              throw new IllegalArgumentException(
                  "f: '" + f + "' is not supported here; use json or html");
        };
      }
      if (accept == null) {
        return JSON;
      }
      double html = 0;
      double json = 0;
      for (MediaType t : MediaType.parseMediaTypes(accept)) {
        if (t.getType().equals("text") && t.getSubtype().equals("html")) {
          html = Math.max(html, t.getQualityValue());
        } else if (t.getSubtype().equals("json") || t.getSubtype().endsWith("+json")) {
          json = Math.max(json, t.getQualityValue());
        }
      }
      if (html > json) {
        return HTML;
      }
      return JSON;
    }
  }
}
