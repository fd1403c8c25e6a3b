package org.cam4j.method;

import org.cam4j.Cancellation;
import org.cam4j.InvalidInputException;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;

/**
 * Score-CAM (Wang et al. 2020) exactly as pytorch-grad-cam computes it: the input is multiplied
 * by each channel's mask ({@link ScoreMasks}), the masked inputs run through the whole network
 * in batches, and {@code w = softmax over channels of the explained class's scores}. One forward
 * pass per channel: slow on wide layers.
 */
public final class ScoreCam extends ModelWeightedCam {
  /** Masked inputs scored per model call by default. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  private final int batchSize;

  /** Score-CAM with the default batch size. */
  public ScoreCam() {
    this(DEFAULT_BATCH_SIZE);
  }

  /** @param batchSize masked inputs per forward pass */
  public ScoreCam(int batchSize) {
    if (batchSize < 1) {
      throw new InvalidInputException("batch size must be >= 1, got " + batchSize);
    }
    this.batchSize = batchSize;
  }

  @Override
  public String name() {
    return "scorecam";
  }

  @Override
  float[] weights(CamContext context, String layer, FeatureMaps a) {
    int[] classes = singleClasses(context);
    float[] weights = new float[a.n() * a.c()];
    for (int i = 0; i < a.n(); i++) {
      System.arraycopy(softmax(maskedScores(context, a, i, classes[i])), 0, weights,
          i * a.c(), a.c());
    }
    return weights;
  }

  /** The class score of the input masked by each channel of image i. */
  private float[] maskedScores(CamContext context, FeatureMaps a, int i, int cls) {
    FloatTensor input = context.input();
    Layout layout = context.model().signature().layout();
    int height = (int) input.dim(layout.heightAxis());
    int width = (int) input.dim(layout.widthAxis());
    int channels = (int) input.dim(layout.channelAxis());
    float[] image = input.row(i).toArray();
    ScoreMasks masks = new ScoreMasks(a, i, height, width);
    long[] shape = input.shape();
    float[] scores = new float[a.c()];
    // a short last chunk repeats its last masked input: every chunk has one shape, one session
    int rows = Math.min(batchSize, a.c());
    shape[0] = rows;
    for (int start = 0; start < a.c(); start += rows) {
      Cancellation.checkpoint();
      int count = Math.min(rows, a.c() - start);
      float[] batch = new float[rows * image.length];
      for (int j = 0; j < count; j++) {
        float[] mask = masks.mask(start + j);
        int offset = j * image.length;
        for (int v = 0; v < image.length; v++) {
          int pixel = layout == Layout.NCHW ? v % mask.length : v / channels;
          batch[offset + v] = image[v] * mask[pixel];
        }
      }
      for (int j = count; j < rows; j++) {
        System.arraycopy(batch, (count - 1) * image.length, batch, j * image.length,
            image.length);
      }
      FloatTensor out = context.model().scores(FloatTensor.of(shape, batch));
      int k = (int) out.dim(1);
      for (int j = 0; j < count; j++) {
        scores[start + j] = out.get(j * k + cls);
      }
    }
    return scores;
  }

  private static float[] softmax(float[] s) {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : s) {
      max = Math.max(max, v);
    }
    double[] e = new double[s.length];
    double sum = 0;
    for (int c = 0; c < s.length; c++) {
      e[c] = Math.exp((double) s[c] - max);
      sum += e[c];
    }
    float[] w = new float[s.length];
    for (int c = 0; c < s.length; c++) {
      w[c] = (float) (e[c] / sum);
    }
    return w;
  }
}
