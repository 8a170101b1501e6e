package io.terrafield.imagery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive by hand, without Python: a parameter-free module whose forward
 * returns the per-channel mean of an (N, C, H, W) batch, i.e. shape (N, C).
 *
 * <p>The layout is what {@code torch.jit.save} produces and {@code torch::jit::load} reads: a zip
 * (entries stored, not deflated) whose entries share one top-level folder, holding
 *
 * <ul>
 *   <li>{@code code/__torch__.py}: the TorchScript source of class {@code __torch__.PatchMean};
 *   <li>{@code data.pkl}: the module object as a protocol-2 pickle: {@code GLOBAL __torch__
 *       PatchMean, EMPTY_TUPLE, NEWOBJ, {"training": True}, BUILD} - the loader creates an object
 *       of the class and fills each declared attribute from the dict;
 *   <li>{@code constants.pkl}: the empty tuple of tensor constants;
 *   <li>{@code version}: the file-format version, 3.
 * </ul>
 */
final class TinyTorchScript {
  private TinyTorchScript() {}

  static final String SOURCE =
      """
      class PatchMean(Module):
        __parameters__ = []
        __buffers__ = []
        training : bool
        def forward(self: __torch__.PatchMean,
          x: Tensor) -> Tensor:
          return torch.mean(x, [2, 3])
      """;

  static Path writePatchMean(Path file) throws IOException {
    ByteArrayOutputStream pickle = new ByteArrayOutputStream();
    pickle.write(new byte[] {(byte) 0x80, 2});
    pickle.write("c__torch__\nPatchMean\n".getBytes(StandardCharsets.US_ASCII));
    pickle.write(new byte[] {'q', 0, ')', (byte) 0x81, '}', 'q', 1, '('});
    byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
    pickle.write('X');
    pickle.write(new byte[] {(byte) key.length, 0, 0, 0});
    pickle.write(key);
    pickle.write(new byte[] {'q', 2, (byte) 0x88, 'u', 'b', '.'});
    byte[] emptyTuple = {(byte) 0x80, 2, ')', 'q', 0, '.'};
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      stored(zip, "patchmean/data.pkl", pickle.toByteArray());
      stored(zip, "patchmean/code/__torch__.py", SOURCE.getBytes(StandardCharsets.UTF_8));
      stored(zip, "patchmean/constants.pkl", emptyTuple);
      stored(zip, "patchmean/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }
    return file;
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(data.length);
    entry.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(data);
    zip.closeEntry();
  }
}
