package org.cam4j.method;

import java.util.ArrayList;
import java.util.List;
import org.cam4j.Cancellation;
import org.cam4j.InvalidInputException;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;

/**
 * Score-CAM (Wang et al. 2020) exactly as pytorch-grad-cam computes it: the input is multiplied
 * by each channel's mask ({@link ScoreMasks}), the masked inputs run through the whole network
 * in batches, and {@code w = softmax over channels of the explained class's scores}. One forward
 * pass per channel: slow on wide layers.
 *
 * <p>Every channel whose upsampled map is constant gets the all-zero mask (the normalisation
 * maps it to 0), so all such channels mask the input to the same tensor: it is scored once and
 * its score reused (on MobileNetV2's last block 164 to 429 of 1280 channels of a photo). The
 * weights are those of scoring every channel, up to the rounding a row's place in a batch may
 * change.
 *
 * <p>{@link Builder#maxChannels(int)} (opt-in, not pytorch-grad-cam parity) scores only the
 * channels of highest spatial variance of the activation; the others get weight 0 and the
 * softmax runs over the scored channels.
 */
public final class ScoreCam extends ModelWeightedCam {
  /** Masked inputs scored per model call by default. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  private final int batchSize;
  private final int maxChannels;

  /** Score-CAM with the default batch size. */
  public ScoreCam() {
    this(DEFAULT_BATCH_SIZE);
  }

  /** @param batchSize masked inputs per forward pass */
  public ScoreCam(int batchSize) {
    this(batchSize, 0);
  }

  private ScoreCam(int batchSize, int maxChannels) {
    if (batchSize < 1) {
      throw new InvalidInputException("batch size must be >= 1, got " + batchSize);
    }
    if (maxChannels < 0) {
      throw new InvalidInputException("max channels must be >= 1 (or 0 for all), got "
          + maxChannels);
    }
    this.batchSize = batchSize;
    this.maxChannels = maxChannels;
  }

  /** A builder starting from the default batch size and every channel scored. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code scorecam}, or with a channel limit {@code scorecam(max-channels=N)}: the name the
   * manifest records, marking a result that is not pytorch-grad-cam parity.
   */
  @Override
  public String name() {
    return maxChannels == 0 ? "scorecam" : "scorecam(max-channels=" + maxChannels + ")";
  }

  @Override
  float[] weights(CamContext context, String layer, FeatureMaps a) {
    int[] classes = singleClasses(context);
    float[] weights = new float[a.n() * a.c()];
    for (int i = 0; i < a.n(); i++) {
      int[] channels = maxChannels == 0 || maxChannels >= a.c() ? allChannels(a.c())
          : ChannelVariance.highest(a, i, maxChannels);
      float[] w = softmax(maskedScores(context, a, i, classes[i], channels));
      for (int j = 0; j < channels.length; j++) {
        weights[i * a.c() + channels[j]] = w[j];
      }
    }
    return weights;
  }

  private static int[] allChannels(int c) {
    int[] all = new int[c];
    for (int k = 0; k < c; k++) {
      all[k] = k;
    }
    return all;
  }

  /**
   * The class score of the input masked by each of {@code channels} of image i, in their order.
   * The all-zero mask is scored once, at its first channel.
   */
  private float[] maskedScores(CamContext context, FeatureMaps a, int i, int cls,
      int[] channels) {
    FloatTensor input = context.input();
    Layout layout = context.model().signature().layout();
    int height = (int) input.dim(layout.heightAxis());
    int width = (int) input.dim(layout.widthAxis());
    int imageChannels = (int) input.dim(layout.channelAxis());
    float[] image = input.row(i).toArray();
    ScoreMasks masks = new ScoreMasks(a, i, height, width);
    long[] shape = input.shape();
    float[] scores = new float[channels.length];
    int rows = Math.min(batchSize, channels.length);
    shape[0] = rows;
    // positions (into channels) of each masked input in the batch being filled
    List<Integer> pending = new ArrayList<>();
    List<Integer> zeroMasked = new ArrayList<>();
    float[] batch = new float[rows * image.length];
    for (int j = 0; j < channels.length; j++) {
      Cancellation.checkpoint();
      float[] mask = masks.mask(channels[j]);
      if (allZero(mask)) {
        zeroMasked.add(j);
        if (zeroMasked.size() > 1) {
          continue;
        }
      }
      int offset = pending.size() * image.length;
      for (int v = 0; v < image.length; v++) {
        int pixel = layout == Layout.NCHW ? v % mask.length : v / imageChannels;
        batch[offset + v] = image[v] * mask[pixel];
      }
      pending.add(j);
      if (pending.size() == rows) {
        score(context, batch, shape, pending, cls, scores);
      }
    }
    if (!pending.isEmpty()) {
      score(context, batch, shape, pending, cls, scores);
    }
    for (int z = 1; z < zeroMasked.size(); z++) {
      scores[zeroMasked.get(z)] = scores[zeroMasked.get(0)];
    }
    return scores;
  }

  /**
   * Scores the pending masked inputs; a short last chunk repeats its last masked input, so every
   * chunk has one shape and one session.
   */
  private void score(CamContext context, float[] batch, long[] shape, List<Integer> pending,
      int cls, float[] scores) {
    int count = pending.size();
    int length = batch.length / (int) shape[0];
    for (int j = count; j < shape[0]; j++) {
      System.arraycopy(batch, (count - 1) * length, batch, j * length, length);
    }
    FloatTensor out = context.model().scores(FloatTensor.of(shape.clone(), batch.clone()));
    int k = (int) out.dim(1);
    for (int j = 0; j < count; j++) {
      scores[pending.get(j)] = out.get(j * k + cls);
    }
    pending.clear();
  }

  private static boolean allZero(float[] mask) {
    for (float m : mask) {
      if (m != 0f) {
        return false;
      }
    }
    return true;
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

  /** Builds a {@link ScoreCam}. */
  public static final class Builder {
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int maxChannels;

    private Builder() {
    }

    /** Masked inputs per forward pass (default {@value ScoreCam#DEFAULT_BATCH_SIZE}). */
    public Builder batchSize(int size) {
      this.batchSize = size;
      return this;
    }

    /**
     * Scores only the {@code n} channels of highest spatial variance of each image's activation
     * (0, the default, scores all). Opt-in and not pytorch-grad-cam parity: the unscored
     * channels get weight 0.
     */
    public Builder maxChannels(int n) {
      this.maxChannels = n;
      return this;
    }

    /** The method; fails on a batch size below 1 or a negative channel limit. */
    public ScoreCam build() {
      return new ScoreCam(batchSize, maxChannels);
    }
  }
}
