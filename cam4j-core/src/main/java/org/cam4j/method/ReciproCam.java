package org.cam4j.method;

import java.util.List;
import java.util.Map;
import org.cam4j.Cancellation;
import org.cam4j.InvalidInputException;
import org.cam4j.engine.HeadModel;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Softmax;

/**
 * Recipro-CAM (Byun &amp; Lee 2022, arXiv 2209.14074), its Gaussian variant: for each position
 * (i, j) of the layer's h x w map, the "mosaic" activation {@code A ⊙ M_ij} keeps only a 3x3
 * neighbourhood of (i, j), weighted by {@code M_ij = [[1,2,1],[2,4,2],[1,2,1]] / 16} centred there
 * (zero elsewhere, cut at the borders), and
 * {@code map(i, j) = softmax(head(A ⊙ M_ij))[class]}, where the head is the part of the network
 * after the layer ({@link HeadModel}). No gradients; h·w head rows per image, run in batches.
 * The mosaics are built in the layer's own layout (NCHW, NHWC or tokens).
 */
public final class ReciproCam extends CamMethod {
  /** Mosaic activations run per head call by default. */
  public static final int DEFAULT_BATCH_SIZE = 64;

  /** The 3x3 Gaussian filter of the paper, row-major. */
  private static final float[] KERNEL = {
      1 / 16f, 2 / 16f, 1 / 16f,
      2 / 16f, 4 / 16f, 2 / 16f,
      1 / 16f, 2 / 16f, 1 / 16f};

  private final int batchSize;

  /** Recipro-CAM with the default batch size. */
  public ReciproCam() {
    this(DEFAULT_BATCH_SIZE);
  }

  /** @param batchSize mosaic activations scored per run of the head */
  public ReciproCam(int batchSize) {
    if (batchSize < 1) {
      throw new InvalidInputException("batch size must be >= 1, got " + batchSize);
    }
    this.batchSize = batchSize;
  }

  @Override
  public String name() {
    return "reciprocam";
  }

  @Override
  public boolean needsGradients() {
    return false;
  }

  @Override
  public FloatTensor rawMaps(CamContext context, String layer) {
    FloatTensor values = context.layerValues(layer);
    LayerStorage storage = LayerStorage.of(context.layout(layer), values.shape());
    HeadModel head = context.model().head(layer);
    List<String> boundaryNames = head.boundary();
    Map<String, FloatTensor> boundary = boundaryNames.isEmpty() ? Map.of()
        : context.model().forward(context.input(), boundaryNames).tensors();
    int[] classes = context.explainedClasses();
    int n = (int) values.dim(0);
    int positions = storage.area();
    int size = storage.imageSize();
    float[] all = values.toArray();
    long[] shape = values.shape();
    int rows = Math.min(batchSize, positions);
    shape[0] = rows;
    float[] maps = new float[n * positions];
    for (int i = 0; i < n; i++) {
      if (classes[i] < 0) {
        throw new InvalidInputException(name() + " explains one class per image, not a"
            + " weighting of several classes");
      }
      Map<String, FloatTensor> boundaryRows = AblationCam.repeated(boundary, i, rows);
      // a short last chunk repeats its last position: every chunk has one shape
      for (int start = 0; start < positions; start += rows) {
        Cancellation.checkpoint();
        int count = Math.min(rows, positions - start);
        float[] data = new float[rows * size];
        for (int r = 0; r < rows; r++) {
          mosaic(storage, all, i * size, Math.min(start + r, positions - 1), data, r * size);
        }
        FloatTensor probabilities = Softmax.rows(head.scores(FloatTensor.of(shape, data),
            boundaryRows));
        int k = (int) probabilities.dim(1);
        for (int r = 0; r < count; r++) {
          maps[i * positions + start + r] = probabilities.get(r * k + classes[i]);
        }
      }
    }
    return FloatTensor.of(new long[] {n, storage.height(), storage.width()}, maps);
  }

  /**
   * Writes {@code A ⊙ M_p} of the image at {@code base} into {@code out} from {@code offset}, in
   * the layer's own layout. Prefix tokens are kept as they are, as ViT-ReciproCAM (Byun &amp; Lee
   * 2023, arXiv 2310.02588) keeps the class token by default.
   */
  private static void mosaic(LayerStorage s, float[] values, int base, int position,
      float[] out, int offset) {
    System.arraycopy(values, base, out, offset, s.prefixTokens() * s.channels());
    int pi = position / s.width();
    int pj = position % s.width();
    for (int di = -1; di <= 1; di++) {
      int y = pi + di;
      if (y < 0 || y >= s.height()) {
        continue;
      }
      for (int dj = -1; dj <= 1; dj++) {
        int x = pj + dj;
        if (x < 0 || x >= s.width()) {
          continue;
        }
        float weight = KERNEL[(di + 1) * 3 + dj + 1];
        int p = y * s.width() + x;
        for (int c = 0; c < s.channels(); c++) {
          int at = s.index(c, p);
          out[offset + at] = values[base + at] * weight;
        }
      }
    }
  }
}
