package io.terrafield.forecasting;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared real data: system property {@code terrafield.data}, else {@code
 * ../shared/data}. Skips the test when absent, unless the environment variable CI is "true".
 */
public final class SharedData {
  private SharedData() {}

  /** The data root, or a skipped (fails on CI) test when it is absent. */
  public static Path root() {
    String property = System.getProperty("terrafield.data");
    Path root = property != null ? Path.of(property) : Path.of("..", "shared", "data");
    if (!Files.isDirectory(root) && property != null) {
      root = Path.of("..", "shared", "data");
    }
    boolean present = Files.isDirectory(root.resolve("airquality"));
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("shared data not found at " + root.toAbsolutePath() + " (CI=true)");
    }
    Assumptions.assumeTrue(
        present, "shared data not found at " + root.toAbsolutePath() + ": skipping real-data test");
    return root;
  }
}
