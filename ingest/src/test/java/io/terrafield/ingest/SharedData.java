package io.terrafield.ingest;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared real data ({@code -Dterrafield.data}, else {@code ../shared/data} from the project
 * root). Tests skip without it, except in CI ({@code CI=true}), where they fail.
 */
public final class SharedData {

  private SharedData() {}

  /** The path of {@code relative} under the shared data folder, skipping the test if absent. */
  public static Path require(String relative) {
    String property = System.getProperty("terrafield.data");
    Path root = property != null ? Path.of(property) : Path.of("../../shared/data");
    Path file = root.resolve(relative);
    if (!Files.exists(file)) {
      String message = "shared data not found: " + file.toAbsolutePath();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + " (CI must have ../shared/data)");
      }
      assumeTrue(false, message + "; skipping");
    }
    return file;
  }
}
