package io.terrafield.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchDirectoriesTest {

  @TempDir Path tmp;

  @Test
  void closeDeletesEveryDirectoryWithWhatWasWrittenInItLater() throws Exception {
    ScratchDirectories scratch = new ScratchDirectories(tmp);
    Path kafka = scratch.create("terrafield-kafka");
    Path checkpoints = scratch.create("terrafield-checkpoints");
    Files.createDirectories(checkpoints.resolve("job/chk-1"));
    Files.writeString(checkpoints.resolve("job/chk-1/_metadata"), "state");
    Files.writeString(kafka.resolve("meta.properties"), "node.id=0");

    scratch.close();

    assertThat(kafka).doesNotExist();
    assertThat(checkpoints).doesNotExist();
    try (var left = Files.list(tmp)) {
      assertThat(left).isEmpty();
    }
    scratch.close(); // twice is harmless
  }

  @Test
  void theFoldersOfKilledRunsAreDeletedThoseOfLiveOnesAndOthersKept() throws Exception {
    Path killed = Files.createDirectories(tmp.resolve("terrafield-run-9223372036854775807-1/k"));
    long self = ProcessHandle.current().pid();
    Path live = Files.createDirectories(tmp.resolve("terrafield-run-" + self + "-2"));
    Path other = Files.createDirectories(tmp.resolve("terrafield-run-notapid"));

    ScratchDirectories scratch = new ScratchDirectories(tmp);
    Path mine = scratch.create("terrafield-kafka");

    assertThat(killed.getParent()).doesNotExist();
    assertThat(live).exists();
    assertThat(other).exists();
    assertThat(mine).exists();
    scratch.close();
  }
}
