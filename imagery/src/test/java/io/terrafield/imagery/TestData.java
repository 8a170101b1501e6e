package io.terrafield.imagery;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared real data: system property {@code terrafield.data}, else {@code
 * ../shared/data}. Missing data skips the test, except when the environment variable {@code CI} is
 * {@code true}, where it fails.
 */
final class TestData {
  private TestData() {}

  static Path root() {
    String property = System.getProperty("terrafield.data");
    Path root = property != null ? Path.of(property) : Path.of("..", "shared", "data");
    return root;
  }

  static Path file(String first, String... more) {
    Path path = root().resolve(Path.of(first, more));
    if (!Files.exists(path)) {
      String message = "shared data file not found: " + path.toAbsolutePath().normalize();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(message + " (required in CI)");
      }
      Assumptions.abort(message + "; skipping (set -Dterrafield.data=DIR)");
    }
    return path;
  }

  static Path imagery(String name) {
    return file("imagery", name);
  }
}
