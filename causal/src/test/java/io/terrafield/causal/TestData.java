package io.terrafield.causal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared real data: system property {@code terrafield.data}, else {@code
 * ../shared/data}. Skips the calling test when absent, except under CI ({@code CI=true}), where
 * absence is a failure.
 */
public final class TestData {
  private TestData() {}

  /** The data folder, or a skipped/failed test when it is absent. */
  public static Path root() {
    String property = System.getProperty("terrafield.data");
    Path root = property != null ? Path.of(property) : Path.of("../shared/data");
    boolean present = Files.isDirectory(root.resolve("causal"));
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("shared data not found at " + root.toAbsolutePath() + " (CI=true)");
    }
    assumeTrue(present, "shared data not found at " + root.toAbsolutePath() + "; skipping");
    return root;
  }
}
