package io.terrafield.ingest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.util.FileUtils;

/**
 * The temporary directories of one run of the embedded runtime (the broker's log, the jobs'
 * checkpoints), kept under one folder {@code terrafield-run-<pid>-…} of the system's temporary
 * folder and deleted with their contents when the run ends ({@link #close}), so repeated demo runs
 * and benchmarks do not fill the temporary folder. A run that was killed before it could close
 * (SIGKILL) leaves its folder behind; the next run deletes the folders of processes that are no
 * longer alive when it creates its own. Thread-safe.
 */
public final class ScratchDirectories implements AutoCloseable {

  static final String PREFIX = "terrafield-run-";

  private final Path temporaryFolder;
  private Path root;

  /** Directories under the system's temporary folder ({@code java.io.tmpdir}). */
  public ScratchDirectories() {
    this(Path.of(System.getProperty("java.io.tmpdir")));
  }

  ScratchDirectories(Path temporaryFolder) {
    this.temporaryFolder = temporaryFolder;
  }

  /** A new empty directory of this run, named after {@code prefix}. */
  public synchronized Path create(String prefix) throws IOException {
    if (root == null) {
      deleteThoseOfDeadProcesses();
      root =
          Files.createTempDirectory(temporaryFolder, PREFIX + ProcessHandle.current().pid() + "-");
    }
    return Files.createTempDirectory(root, prefix);
  }

  /** Deletes every directory created so far (a failure to delete is ignored). */
  @Override
  public synchronized void close() {
    if (root != null) {
      FileUtils.deleteDirectoryQuietly(root.toFile());
      root = null;
    }
  }

  private void deleteThoseOfDeadProcesses() {
    try (DirectoryStream<Path> runs = Files.newDirectoryStream(temporaryFolder, PREFIX + "*")) {
      for (Path run : runs) {
        String rest = run.getFileName().toString().substring(PREFIX.length());
        int dash = rest.indexOf('-');
        try {
          long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
          if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            continue;
          }
        } catch (NumberFormatException e) {
          continue; // not one of ours
        }
        FileUtils.deleteDirectoryQuietly(run.toFile());
      }
    } catch (IOException e) {
      // the sweep is a courtesy; the run goes on without it
    }
  }
}
