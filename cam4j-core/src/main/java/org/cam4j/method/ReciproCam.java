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
    FeatureMaps a = FeatureMaps.of(context.activations(layer));
    HeadModel head = context.model().head(layer);
    List<String> boundaryNames = head.boundary();
    Map<String, FloatTensor> boundary = boundaryNames.isEmpty() ? Map.of()
        : context.model().forward(context.input(), boundaryNames).tensors();
    int[] classes = context.explainedClasses();
    int positions = a.area();
    int size = a.c() * positions;
    int rows = Math.min(batchSize, positions);
    float[] maps = new float[a.n() * positions];
    for (int i = 0; i < a.n(); i++) {
      if (classes[i] < 0) {
        throw new InvalidInputException(name() + " explains one class per image, not a"
            + " weighting of several classes");
      }
      Map<String, FloatTensor> boundaryRows = AblationCam.repeated(boundary, i, rows);
      int base = a.offset(i, 0);
      // a short last chunk repeats its last position: every chunk has one shape
      for (int start = 0; start < positions; start += rows) {
        Cancellation.checkpoint();
        int count = Math.min(rows, positions - start);
        float[] data = new float[rows * size];
        for (int r = 0; r < rows; r++) {
          mosaic(a, base, Math.min(start + r, positions - 1), data, r * size);
        }
        FloatTensor probabilities = Softmax.rows(head.scores(
            FloatTensor.of(new long[] {rows, a.c(), a.h(), a.w()}, data), boundaryRows));
        int k = (int) probabilities.dim(1);
        for (int r = 0; r < count; r++) {
          maps[i * positions + start + r] = probabilities.get(r * k + classes[i]);
        }
      }
    }
    return FloatTensor.of(new long[] {a.n(), a.h(), a.w()}, maps);
  }

  /** Writes {@code A ⊙ M_p} of the image at {@code base} into {@code out} from {@code offset}. */
  private static void mosaic(FeatureMaps a, int base, int position, float[] out, int offset) {
    int pi = position / a.w();
    int pj = position % a.w();
    for (int di = -1; di <= 1; di++) {
      int y = pi + di;
      if (y < 0 || y >= a.h()) {
        continue;
      }
      for (int dj = -1; dj <= 1; dj++) {
        int x = pj + dj;
        if (x < 0 || x >= a.w()) {
          continue;
        }
        float weight = KERNEL[(di + 1) * 3 + dj + 1];
        int p = y * a.w() + x;
        for (int c = 0; c < a.c(); c++) {
          out[offset + c * a.area() + p] = a.data()[base + c * a.area() + p] * weight;
        }
      }
    }
  }
}
