package io.terrafield.imagery;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a user-supplied TorchScript model (a {@code torch.jit.save} file) on image patches through
 * DJL's PyTorch engine, CPU only. The model receives one float32 tensor of shape (N, C, H, W) and
 * must return a tensor of shape (N, F): F features per patch. Nodata pixels are filled with the
 * mean of the channel's valid pixels in that patch (0 when it has none) before the model sees them.
 *
 * <p>Sets the system property {@code ai.djl.offline=true} when it is unset, so that DJL uses the
 * native PyTorch library from the classpath ({@code pytorch-native-cpu}) and never downloads. Not
 * thread-safe for concurrent {@link #extract} calls on one instance (they are serialised); {@link
 * #close()} releases the native model.
 */
public final class TorchScriptPatchFeatureExtractor implements PatchFeatureExtractor {
  private final ZooModel<NDList, NDList> model;
  private final Predictor<NDList, NDList> predictor;
  private final Path modelFile;
  private int featureCount = -1;

  /**
   * Loads the model.
   *
   * @param modelFile a TorchScript archive ({@code .pt})
   * @throws IllegalArgumentException naming the file when it is missing or not a loadable model
   */
  public TorchScriptPatchFeatureExtractor(Path modelFile) {
    this.modelFile = modelFile;
    if (!Files.isRegularFile(modelFile)) {
      throw new IllegalArgumentException("TorchScript model file not found: " + modelFile);
    }
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    String fileName = modelFile.getFileName().toString();
    String name =
        fileName.endsWith(".pt") ? fileName.substring(0, fileName.length() - 3) : fileName;
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(modelFile.toAbsolutePath().getParent())
            .optModelName(name)
            .optEngine("PyTorch")
            .optTranslator(new NoopTranslator())
            .build();
    try {
      this.model = criteria.loadModel();
    } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot load TorchScript model " + modelFile + ": " + e.getMessage(), e);
    }
    this.predictor = model.newPredictor();
  }

  @Override
  public List<String> featureNames(int channels) {
    if (featureCount < 0) {
      throw new IllegalStateException(
          "the feature count of " + modelFile + " is known after the first extract call");
    }
    List<String> names = new ArrayList<>();
    for (int f = 0; f < featureCount; f++) {
      names.add("emb_" + f);
    }
    return names;
  }

  @Override
  public synchronized float[][] extract(List<ImagePatch> patches) {
    int[] shape = PatchFeatureExtractor.commonShape(patches);
    if (patches.isEmpty()) {
      return new float[0][];
    }
    int channels = shape[0];
    int size = shape[1];
    int per = channels * size * size;
    float[] batch = new float[patches.size() * per];
    for (int i = 0; i < patches.size(); i++) {
      float[] values = filled(patches.get(i));
      System.arraycopy(values, 0, batch, i * per, per);
    }
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray input = manager.create(batch, new Shape(patches.size(), channels, size, size));
      NDList output = predictor.predict(new NDList(input));
      NDArray result = output.singletonOrThrow();
      Shape outShape = result.getShape();
      if (outShape.dimension() != 2 || outShape.get(0) != patches.size()) {
        throw new IllegalArgumentException(
            "model " + modelFile + " returned shape " + outShape + ", expected (N, F)");
      }
      int features = (int) outShape.get(1);
      float[] flat = result.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
      featureCount = features;
      float[][] out = new float[patches.size()][features];
      for (int i = 0; i < patches.size(); i++) {
        System.arraycopy(flat, i * features, out[i], 0, features);
      }
      return out;
    } catch (TranslateException e) {
      throw new IllegalArgumentException(
          "model "
              + modelFile
              + " failed on a batch of shape ("
              + patches.size()
              + ", "
              + channels
              + ", "
              + size
              + ", "
              + size
              + "): "
              + e.getMessage(),
          e);
    }
  }

  private static float[] filled(ImagePatch patch) {
    float[] values = patch.values().clone();
    int plane = patch.size() * patch.size();
    for (int c = 0; c < patch.channels(); c++) {
      double sum = 0;
      int n = 0;
      for (int k = c * plane; k < (c + 1) * plane; k++) {
        if (!Float.isNaN(values[k])) {
          sum += values[k];
          n++;
        }
      }
      float fill = n == 0 ? 0f : (float) (sum / n);
      for (int k = c * plane; k < (c + 1) * plane; k++) {
        if (Float.isNaN(values[k])) {
          values[k] = fill;
        }
      }
    }
    return values;
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
  }
}
