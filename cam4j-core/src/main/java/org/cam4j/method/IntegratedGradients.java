package org.cam4j.method;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.cam4j.Cancellation;
import org.cam4j.InvalidInputException;
import org.cam4j.engine.BackwardMode;
import org.cam4j.explain.Target;
import org.cam4j.tensor.FloatTensor;

/**
 * Integrated Gradients (Sundararajan et al. 2017) by the trapezoidal rule: input gradients at
 * the {@code steps + 1} points {@code b + (k / steps)(x - b)}, k = 0..steps, averaged with
 * weight {@code 1 / (2 steps)} at the two ends and {@code 1 / steps} between; attributions
 * {@code (x - b) * average gradient}; map = their signed sum over channels, so the map's total
 * is the sum of all attributions, which completeness makes {@code score(x) - score(b)}. The
 * baseline b is zeros in the preprocessed input space by default (after mean/std
 * normalisation that is the mean colour, not black) or a given [1, ...] tensor in the model's
 * input shape. Points run {@code batchSize} at a time. A row that explains its top class
 * explains the image's top class along the whole path. Immutable.
 */
public final class IntegratedGradients extends InputAttribution {
  private final int steps;
  private final FloatTensor baseline;
  private final int batchSize;

  private IntegratedGradients(Builder b) {
    this.steps = b.steps;
    this.baseline = b.baseline;
    this.batchSize = b.batchSize;
  }

  /** Starts a builder with the default steps, baseline and batch size. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "integrated-gradients";
  }

  @Override
  FloatTensor inputMaps(CamContext context) {
    FloatTensor input = context.input();
    List<Target> fixed = context.targetsWithTopFixed(context.model().scores(input));
    long[] rowShape = input.row(0).shape();
    float[] b = baselineFor(rowShape);
    int n = (int) input.dim(0);
    List<FloatTensor> attributions = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Cancellation.checkpoint();
      float[] x = input.row(i).toArray();
      List<FloatTensor> points = new ArrayList<>(steps + 1);
      for (int k = 0; k <= steps; k++) {
        float alpha = (float) k / steps;
        float[] p = new float[x.length];
        for (int j = 0; j < x.length; j++) {
          p[j] = b[j] + alpha * (x[j] - b[j]);
        }
        points.add(FloatTensor.of(rowShape, p));
      }
      FloatTensor grads = InputGradients.chunked(context.model(), FloatTensor.stack(points),
          Collections.nCopies(steps + 1, fixed.get(i)), BackwardMode.GRADIENT,
          batchSize);
      attributions.add(FloatTensor.of(rowShape, attribution(x, b, grads)));
    }
    return InputChannels.sum(FloatTensor.stack(attributions),
        context.model().signature().layout());
  }

  /** {@code (x - b) * trapezoid average of the gradients}, accumulated in double. */
  private float[] attribution(float[] x, float[] b, FloatTensor grads) {
    double[] avg = new double[x.length];
    for (int k = 0; k <= steps; k++) {
      double w = (k == 0 || k == steps) ? 0.5 / steps : 1.0 / steps;
      for (int j = 0; j < x.length; j++) {
        avg[j] += w * grads.get(k * x.length + j);
      }
    }
    float[] a = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      a[j] = (float) (((double) x[j] - b[j]) * avg[j]);
    }
    return a;
  }

  private float[] baselineFor(long[] rowShape) {
    int size = (int) Arrays.stream(rowShape).reduce(1, (p, d) -> p * d);
    if (baseline == null) {
      return new float[size];
    }
    long[] expected = new long[rowShape.length + 1];
    expected[0] = 1;
    System.arraycopy(rowShape, 0, expected, 1, rowShape.length);
    if (!Arrays.equals(baseline.shape(), expected)) {
      throw new InvalidInputException("the baseline has shape "
          + Arrays.toString(baseline.shape()) + "; the input needs " + Arrays.toString(expected));
    }
    return baseline.toArray();
  }

  /** Builder for {@link IntegratedGradients}: 50 steps, zero baseline, batches of 16. */
  public static final class Builder {
    private int steps = 50;
    private FloatTensor baseline;
    private int batchSize = 16;

    private Builder() {
    }

    /** Intervals of the trapezoidal rule (steps + 1 gradient evaluations). */
    public Builder steps(int n) {
      if (n < 1) {
        throw new InvalidInputException("integrated gradients needs at least 1 step, got "
            + n);
      }
      this.steps = n;
      return this;
    }

    /** The reference input, [1, ...] in the model's input shape and layout. */
    public Builder baseline(FloatTensor b) {
      if (b.rank() < 1 || b.dim(0) != 1) {
        throw new InvalidInputException("the baseline must be one image [1, ...], got " + b);
      }
      this.baseline = b;
      return this;
    }

    /** Path points run per model call. */
    public Builder batchSize(int rows) {
      if (rows < 1) {
        throw new InvalidInputException("batch size must be >= 1, got " + rows);
      }
      this.batchSize = rows;
      return this;
    }

    /** The configured method. */
    public IntegratedGradients build() {
      return new IntegratedGradients(this);
    }
  }
}
