package io.terrafield.api.dashboard;

import io.terrafield.api.runtime.DemoData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The offline base layer of the dashboard: the world's countries (RFC 7946) from {@code
 * boundaries/world_countries_110m.geojson} in the data folder, 404 when the folder has none.
 */
@RestController
public class BasemapController {

  private final DemoData data;

  public BasemapController(DemoData data) {
    this.data = data;
  }

  @GetMapping("/basemap/countries.geojson")
  public ResponseEntity<Resource> countries() {
    Path file = data.root().resolve("boundaries/world_countries_110m.geojson");
    if (!Files.isReadable(file)) {
      return ResponseEntity.notFound().build();
    }
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("application/geo+json"))
        .body(new FileSystemResource(file));
  }
}
