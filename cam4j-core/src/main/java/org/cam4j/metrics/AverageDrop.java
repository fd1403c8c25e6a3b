package org.cam4j.metrics;

import java.util.Arrays;
import java.util.Objects;
import org.cam4j.InvalidInputException;
import org.cam4j.engine.CamModel;
import org.cam4j.tensor.FloatTensor;

/**
 * Average Drop and Increase in Confidence (Chattopadhyay et al. 2018, the Grad-CAM++ paper):
 * how much of the class's confidence the explanation alone keeps.
 *
 * <p>Protocol, for each image {@code x} with class {@code c} and map {@code M}:
 * <ol>
 *   <li>{@code M} must lie in [0, 1] (cam4j's normalised maps do) at the input resolution; it is
 *       broadcast over the channels.</li>
 *   <li>The explanation image is {@code x*M + b*(1-M)} in the preprocessed input space, with
 *       {@code b} the {@linkplain MetricOptions#explanationBaseline() explanation baseline}. The
 *       default {@code b = 0} gives the paper's {@code x*M}; note that 0 after normalisation is
 *       the dataset mean colour, not black (see {@link Baseline}).</li>
 *   <li>{@code Y} and {@code O} are the softmax probabilities of {@code c} on {@code x} and on
 *       the explanation image, from the model's pre-softmax scores.</li>
 *   <li>Average Drop = {@code 100 * mean(max(0, Y - O) / Y)}; Increase in Confidence =
 *       {@code 100 *} the fraction of images with {@code O > Y} (strictly). Both are percentages;
 *       lower drop and higher increase are better.</li>
 * </ol>
 * Images run through the model in batches of {@link MetricOptions#batchSize()}.
 */
public final class AverageDrop {
  private final CamModel model;
  private final MetricOptions options;

  private AverageDrop(CamModel model, MetricOptions options) {
    this.model = Objects.requireNonNull(model, "model");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Average Drop and Increase for {@code model}, with the baselines and batch size of {@code
   * options}.
   */
  public static AverageDrop of(CamModel model, MetricOptions options) {
    return new AverageDrop(model, options);
  }

  /**
   * @param input the preprocessed batch in the model's layout
   * @param maps [N,H,W] in [0, 1] at the input resolution
   * @param classes the class explained for each image
   */
  public AverageDropResult evaluate(FloatTensor input, FloatTensor maps, int[] classes) {
    MetricInputs in = MetricInputs.check(model, input, maps, classes);
    ImageShape shape = in.shape();
    int n = in.count();
    double[] logY = new double[n];
    double[] logO = new double[n];
    for (int i = 0; i < n; i++) {
      checkRange(in.map(i), i, shape.width());
    }
    ProbabilityBatcher batcher = new ProbabilityBatcher(model, shape, options.batchSize());
    // the unperturbed images go first: a class the model lacks fails in the first batches
    for (int i = 0; i < n; i++) {
      batcher.add(in.image(i), in.target(i), logY, i);
    }
    for (int i = 0; i < n; i++) {
      float[] x = in.image(i);
      float[] m = in.map(i);
      float[] b = options.explanationBaseline().substrate(x, shape);
      float[] explained = new float[x.length];
      for (int p = 0; p < shape.pixels(); p++) {
        for (int c = 0; c < shape.channels(); c++) {
          int j = shape.index(p, c);
          // this form keeps x exactly where M = 1 and b exactly where M = 0
          explained[j] = x[j] * m[p] + b[j] * (1 - m[p]);
        }
      }
      batcher.add(explained, in.target(i), logO, i);
    }
    batcher.flush();
    double drop = 0;
    int increases = 0;
    for (int i = 0; i < n; i++) {
      // O / Y from log probabilities: finite even when Y underflows in linear space
      drop += Math.max(0, 1 - Math.exp(logO[i] - logY[i]));
      if (logO[i] > logY[i]) {
        increases++;
      }
    }
    return new AverageDropResult(100 * drop / n, 100.0 * increases / n,
        Arrays.stream(logY).map(Math::exp).boxed().toList(),
        Arrays.stream(logO).map(Math::exp).boxed().toList());
  }

  private static void checkRange(float[] m, int image, int width) {
    for (int p = 0; p < m.length; p++) {
      if (m[p] < 0 || m[p] > 1) {
        throw new InvalidInputException("the map of image " + image + " is " + m[p] + " at "
            + MetricInputs.position(p, width) + "; Average Drop needs maps in [0, 1]"
            + " (normalise the map first)");
      }
    }
  }
}
