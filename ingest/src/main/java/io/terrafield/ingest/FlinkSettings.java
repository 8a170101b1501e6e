package io.terrafield.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;

/** Flink settings shared by the runtimes that start Terrafield's jobs. */
public final class FlinkSettings {

  private FlinkSettings() {}

  /**
   * Keeps checkpoints in files under a new temporary directory instead of the JobManager's heap,
   * whose 5 MB limit per state the exactly-once Kafka sinks exceed at full replay speed (they hold
   * a checkpoint interval of records in their checkpointed state until it commits). The directory
   * is one of {@code scratch}'s, deleted when the run ends.
   */
  public static Configuration withFileCheckpoints(Configuration conf, ScratchDirectories scratch) {
    try {
      Path dir = scratch.create("terrafield-checkpoints");
      conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
      return conf;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a checkpoint directory: " + e.getMessage(), e);
    }
  }
}
