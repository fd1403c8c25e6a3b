package org.cam4j.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cam4j.InvalidInputException;
import org.cam4j.engine.CamModel;
import org.cam4j.tensor.FloatTensor;

/**
 * Deletion and insertion curves (Petsiuk et al. 2018, RISE): how fast the class probability falls
 * as the most salient pixels are removed, or rises as they are revealed.
 *
 * <p>Protocol, for each image {@code x} (preprocessed, in the model's layout) with class
 * {@code c} and map {@code M} at the input resolution (only the order of its values matters):
 * <ol>
 *   <li>Pixels are ordered by saliency, highest first; equal values keep raster order
 *       ({@code y * W + x} ascending), so the order is deterministic. A pixel is a position
 *       across all channels.</li>
 *   <li>Deletion starts from {@code x} and moves pixels to the
 *       {@linkplain MetricOptions#deletionBaseline() deletion baseline} (default 0 in the
 *       preprocessed space, as RISE's {@code zeros_like}); insertion starts from the
 *       {@linkplain MetricOptions#insertionBaseline() insertion baseline} (default RISE's blurred
 *       copy of {@code x}, see {@link Baseline#blur()}) and moves pixels back to {@code x}.</li>
 *   <li>With {@code P = H*W} pixels and {@code S} {@linkplain MetricOptions#steps() steps}, point
 *       {@code j = 0..S} has the first {@code k_j = floor(j*P/S)} pixels of the order moved
 *       ({@code S} may not exceed {@code P}). Point 0 is the untouched start image, point
 *       {@code S} the finished one.</li>
 *   <li>Each point's score is the softmax probability of {@code c}, from the model's
 *       pre-softmax scores; images run in batches of {@link MetricOptions#batchSize()}.</li>
 *   <li>The AUC is the trapezoid rule over the fractions {@code k_j / P} in [0, 1]. When
 *       {@code S} divides {@code P} this is RISE's {@code (sum - first/2 - last/2) / S}.
 *       Lower is better for deletion, higher for insertion.</li>
 * </ol>
 * RISE's own runs used {@code P / 224} steps of 224 pixels; the default here is 100 steps.
 */
public final class DeletionInsertion {
  private final CamModel model;
  private final MetricOptions options;

  private DeletionInsertion(CamModel model, MetricOptions options) {
    this.model = Objects.requireNonNull(model, "model");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Deletion and insertion curves for {@code model}, with the steps, baselines and batch size of
   * {@code options}.
   */
  public static DeletionInsertion of(CamModel model, MetricOptions options) {
    return new DeletionInsertion(model, options);
  }

  /** Removes the most salient pixels first; a lower AUC is better. */
  public CurveResult deletion(FloatTensor input, FloatTensor maps, int[] classes) {
    return curves(MetricInputs.check(model, input, maps, classes), true);
  }

  /** Reveals the most salient pixels first; a higher AUC is better. */
  public CurveResult insertion(FloatTensor input, FloatTensor maps, int[] classes) {
    return curves(MetricInputs.check(model, input, maps, classes), false);
  }

  private CurveResult curves(MetricInputs in, boolean deletion) {
    ImageShape shape = in.shape();
    int pixels = shape.pixels();
    int steps = options.steps();
    if (steps > pixels) {
      throw new InvalidInputException(steps + " steps for " + pixels + " pixels; use at most"
          + " one step per pixel");
    }
    int[] moved = new int[steps + 1];
    List<Double> fractions = new ArrayList<>();
    for (int j = 0; j <= steps; j++) {
      moved[j] = (int) ((long) j * pixels / steps);
      fractions.add((double) moved[j] / pixels);
    }
    Baseline baseline = deletion ? options.deletionBaseline() : options.insertionBaseline();
    double[][] logProbabilities = new double[in.count()][steps + 1];
    ProbabilityBatcher batcher = new ProbabilityBatcher(model, shape, options.batchSize());
    int untouched = deletion ? 0 : steps;
    // the unperturbed images go first: a class the model lacks fails in the first batches
    for (int i = 0; i < in.count(); i++) {
      batcher.add(in.image(i), in.target(i), logProbabilities[i], untouched);
    }
    for (int i = 0; i < in.count(); i++) {
      float[] x = in.image(i);
      float[] substrate = baseline.substrate(x, shape);
      float[] finish = deletion ? substrate : x;
      float[] current = deletion ? x : substrate;
      int[] order = PixelOrder.mostSalientFirst(in.map(i));
      for (int j = 0; j <= steps; j++) {
        for (int q = j == 0 ? 0 : moved[j - 1]; q < moved[j]; q++) {
          shape.copyPixel(finish, current, order[q]);
        }
        if (j != untouched) {
          batcher.add(current, in.target(i), logProbabilities[i], j);
        }
      }
    }
    batcher.flush();
    List<Curve> curves = new ArrayList<>();
    for (double[] logs : logProbabilities) {
      List<Double> probabilities = new ArrayList<>();
      for (double l : logs) {
        probabilities.add(Math.exp(l));
      }
      curves.add(new Curve(fractions, probabilities));
    }
    return new CurveResult(curves);
  }
}
