package io.terrafield.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScratchDirectoriesTest {

  @Test
  void closeDeletesEveryDirectoryWithWhatWasWrittenInItLater() throws Exception {
    ScratchDirectories scratch = new ScratchDirectories();
    Path kafka = scratch.create("terrafield-test-kafka");
    Path checkpoints = scratch.create("terrafield-test-checkpoints");
    Files.createDirectories(checkpoints.resolve("job/chk-1"));
    Files.writeString(checkpoints.resolve("job/chk-1/_metadata"), "state");
    Files.writeString(kafka.resolve("meta.properties"), "node.id=0");

    scratch.close();

    assertThat(kafka).doesNotExist();
    assertThat(checkpoints).doesNotExist();
    scratch.close(); // twice is harmless
  }
}
