package org.cam4j.method;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cam4j.Cancellation;
import org.cam4j.InvalidInputException;
import org.cam4j.engine.HeadModel;
import org.cam4j.graph.FeatureLayout;
import org.cam4j.tensor.FloatTensor;

/**
 * Ablation-CAM (Desai &amp; Ramaswamy 2020): {@code w_k = (y - y_k) / y}, where y is the class
 * score and y_k the score with channel k of the layer set to zero. Only the part of the network
 * after the layer runs ({@link HeadModel}), on batches of ablated copies of the activations.
 *
 * <p>Channel k is zeroed in the layer's tensor as the graph holds it, whatever its
 * {@link FeatureLayout}: the h·w block of NCHW, every position of NHWC, and every token of a
 * token layer, prefix tokens included, as pytorch-grad-cam's {@code AblationLayerVit} does (the
 * peer's recipe for ViTs: it sets the channel over all of [N, C, T] after a transpose; its plain
 * {@code AblationLayer} indexes 4-D tensors only). The weights
 * then multiply the [C, h, w] maps the other methods read.
 *
 * <p>pytorch-grad-cam ablates differently on layers with negative values: it sets the channel
 * to {@code min - 1e7} rather than 0 (and lowers that value by 1e7 per row of its batch). Both
 * agree on ReLU-like outputs, where the minimum is 0; cam4j follows the paper everywhere.
 */
public final class AblationCam extends ModelWeightedCam {
  /** Ablated copies run per model call by default. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  private final int batchSize;

  /** Ablation-CAM with the default batch size. */
  public AblationCam() {
    this(DEFAULT_BATCH_SIZE);
  }

  /** @param batchSize ablated copies scored per run of the head */
  public AblationCam(int batchSize) {
    if (batchSize < 1) {
      throw new InvalidInputException("batch size must be >= 1, got " + batchSize);
    }
    this.batchSize = batchSize;
  }

  @Override
  public String name() {
    return "ablationcam";
  }

  @Override
  float[] weights(CamContext context, String layer, FeatureMaps a) {
    FloatTensor values = context.layerValues(layer);
    LayerStorage slots = LayerStorage.of(context.layout(layer), values.shape());
    HeadModel head = context.model().head(layer);
    List<String> boundaryNames = head.boundary();
    Map<String, FloatTensor> boundary = boundaryNames.isEmpty() ? Map.of()
        : context.model().forward(context.input(), boundaryNames).tensors();
    int[] classes = singleClasses(context);
    int size = slots.imageSize();
    float[] all = values.toArray();
    float[] weights = new float[a.n() * a.c()];
    for (int i = 0; i < a.n(); i++) {
      float[] image = Arrays.copyOfRange(all, i * size, (i + 1) * size);
      float y = classScores(head, batch(image, values, 1), repeated(boundary, i, 1),
          classes[i])[0];
      // a short last chunk repeats its last ablation: every chunk has one shape
      int rows = Math.min(batchSize, a.c());
      Map<String, FloatTensor> boundaryRows = repeated(boundary, i, rows);
      for (int start = 0; start < a.c(); start += rows) {
        Cancellation.checkpoint();
        int count = Math.min(rows, a.c() - start);
        float[] data = copies(image, rows);
        for (int j = 0; j < rows; j++) {
          slots.fillChannel(data, j * size, Math.min(start + j, a.c() - 1), 0f);
        }
        float[] ablated = classScores(head, batch(data, values, rows), boundaryRows, classes[i]);
        for (int j = 0; j < count; j++) {
          weights[i * a.c() + start + j] = (y - ablated[j]) / y;
        }
      }
    }
    return weights;
  }

  private static float[] copies(float[] image, int count) {
    float[] data = new float[count * image.length];
    for (int j = 0; j < count; j++) {
      System.arraycopy(image, 0, data, j * image.length, image.length);
    }
    return data;
  }

  /** {@code rows} images' values in the layer's own shape. */
  private static FloatTensor batch(float[] data, FloatTensor layer, int rows) {
    long[] shape = layer.shape();
    shape[0] = rows;
    return FloatTensor.of(shape, data);
  }

  /** Row i of each boundary tensor, repeated for every ablated copy of image i. */
  static Map<String, FloatTensor> repeated(Map<String, FloatTensor> boundary, int i,
      int count) {
    Map<String, FloatTensor> out = new HashMap<>();
    boundary.forEach((name, t) -> out.put(name,
        FloatTensor.stack(Collections.nCopies(count, t.row(i)))));
    return out;
  }

  private static float[] classScores(HeadModel head, FloatTensor layerValues,
      Map<String, FloatTensor> boundary, int cls) {
    FloatTensor s = head.scores(layerValues, boundary);
    int k = (int) s.dim(1);
    float[] out = new float[(int) s.dim(0)];
    for (int r = 0; r < out.length; r++) {
      out[r] = s.get(r * k + cls);
    }
    return out;
  }
}
