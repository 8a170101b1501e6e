package io.terrafield.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the real data in {@code shared/data} for tests: the system property {@code
 * terrafield.data} (Surefire sets it), else {@code ../shared/data} relative to the working
 * directory. When the folder is absent the calling test is skipped, except when the environment
 * variable {@code CI} is {@code true}: then it fails.
 */
public final class SharedData {

  private SharedData() {}

  /** The path {@code relative} inside the shared data folder; skips (or fails in CI) if absent. */
  public static Path require(String relative) {
    Path root = root();
    Path path = root.resolve(relative);
    if (!Files.exists(path)) {
      String message =
          "shared data not found at "
              + path.toAbsolutePath()
              + " (set -Dterrafield.data=DIR to the shared/data folder)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + "; it is required when CI=true");
      }
      Assumptions.abort(message);
    }
    return path;
  }

  private static Path root() {
    String property = System.getProperty("terrafield.data");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    return Path.of("..", "shared", "data");
  }
}
