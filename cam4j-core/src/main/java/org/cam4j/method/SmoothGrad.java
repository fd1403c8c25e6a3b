package org.cam4j.method;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.cam4j.Cancellation;
import org.cam4j.InvalidInputException;
import org.cam4j.engine.BackwardMode;
import org.cam4j.explain.Target;
import org.cam4j.tensor.FloatTensor;

/**
 * SmoothGrad (Smilkov et al. 2017): the input gradient averaged over {@code samples} noisy
 * copies of each image, then reduced as {@link Saliency}: {@code max_c |mean gradient_c|}.
 * The noise is Gaussian with standard deviation {@code noiseLevel * (max(x) - min(x))}, the
 * range of that image's preprocessed values (the paper's sigma / (x_max - x_min)), drawn from
 * a generator seeded with {@code seed}, image by image and copy by copy: maps are reproducible
 * for a fixed seed and batch. Copies run {@code batchSize} at a time. A row that explains its
 * top class explains the clean image's top class in every copy. Immutable.
 */
public final class SmoothGrad extends InputAttribution {
  private final int samples;
  private final double noiseLevel;
  private final long seed;
  private final int batchSize;

  private SmoothGrad(Builder b) {
    this.samples = b.samples;
    this.noiseLevel = b.noiseLevel;
    this.seed = b.seed;
    this.batchSize = b.batchSize;
  }

  /** Starts a builder with the paper's defaults: 50 samples, noise level 0.15, seed 0. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "smoothgrad";
  }

  @Override
  FloatTensor inputMaps(CamContext context) {
    FloatTensor input = context.input();
    List<Target> fixed = context.targetsWithTopFixed(context.model().scores(input));
    Random random = new Random(seed);
    int n = (int) input.dim(0);
    List<FloatTensor> means = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Cancellation.checkpoint();
      float[] x = input.row(i).toArray();
      double sigma = noiseLevel * range(x);
      List<FloatTensor> copies = new ArrayList<>(samples);
      for (int s = 0; s < samples; s++) {
        float[] noisy = new float[x.length];
        for (int j = 0; j < x.length; j++) {
          noisy[j] = (float) (x[j] + sigma * random.nextGaussian());
        }
        copies.add(FloatTensor.of(input.row(i).shape(), noisy));
      }
      FloatTensor grads = InputGradients.chunked(context.model(), FloatTensor.stack(copies),
          Collections.nCopies(samples, fixed.get(i)), BackwardMode.GRADIENT,
          batchSize);
      means.add(meanOfRows(grads));
    }
    return InputChannels.maxAbs(FloatTensor.stack(means), context.model().signature().layout());
  }

  private static double range(float[] x) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return (double) max - min;
  }

  /** Mean over the leading axis, summed in double so identical rows average to themselves. */
  private static FloatTensor meanOfRows(FloatTensor t) {
    int rows = (int) t.dim(0);
    int per = t.size() / rows;
    double[] sum = new double[per];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < per; j++) {
        sum[j] += t.get(r * per + j);
      }
    }
    float[] mean = new float[per];
    for (int j = 0; j < per; j++) {
      mean[j] = (float) (sum[j] / rows);
    }
    return FloatTensor.of(t.row(0).shape(), mean);
  }

  /** Builder for {@link SmoothGrad}; defaults follow the paper: 50 samples, noise level 0.15. */
  public static final class Builder {
    private int samples = 50;
    private double noiseLevel = 0.15;
    private long seed;
    private int batchSize = 16;

    private Builder() {
    }

    /** Noisy copies averaged per image, at least 1. */
    public Builder samples(int n) {
      if (n < 1) {
        throw new InvalidInputException("SmoothGrad needs at least 1 sample, got " + n);
      }
      this.samples = n;
      return this;
    }

    /** Noise standard deviation as a fraction of each image's value range; 0 gives saliency. */
    public Builder noiseLevel(double level) {
      if (!(level >= 0) || Double.isInfinite(level)) {
        throw new InvalidInputException("noise level must be a finite value >= 0, got "
            + level);
      }
      this.noiseLevel = level;
      return this;
    }

    /** Seed of the noise, so that runs repeat exactly. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Noisy copies run per model call. */
    public Builder batchSize(int rows) {
      if (rows < 1) {
        throw new InvalidInputException("batch size must be >= 1, got " + rows);
      }
      this.batchSize = rows;
      return this;
    }

    /** The configured method. */
    public SmoothGrad build() {
      return new SmoothGrad(this);
    }
  }
}
