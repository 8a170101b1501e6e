package io.terrafield.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.util.FileUtils;

/**
 * The temporary directories of one run of the embedded runtime (the broker's log, the jobs'
 * checkpoints), deleted with their contents when the run ends ({@link #close}), so repeated demo
 * runs and benchmarks do not fill the temporary folder. Thread-safe.
 */
public final class ScratchDirectories implements AutoCloseable {

  private final List<Path> directories = new CopyOnWriteArrayList<>();

  /** A new empty directory under the system's temporary folder, named after {@code prefix}. */
  public Path create(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    directories.add(dir);
    return dir;
  }

  /** Deletes every directory created so far (a failure to delete is ignored). */
  @Override
  public void close() {
    for (Path dir : directories) {
      FileUtils.deleteDirectoryQuietly(dir.toFile());
      directories.remove(dir);
    }
  }
}
