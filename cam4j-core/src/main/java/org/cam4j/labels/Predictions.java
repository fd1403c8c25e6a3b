package org.cam4j.labels;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.cam4j.InvalidInputException;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Softmax;

/** Top-k classes of one image, as Keras {@code decode_predictions} reports them. */
public final class Predictions {
  private Predictions() {
  }

  /**
   * The {@code k} most probable classes (all when {@code k} exceeds them), most probable first,
   * ties by lower index; probabilities are the softmax of {@code logits}. {@code labels} must have
   * one entry per logit (see {@link Labels#alignTo}).
   */
  public static List<Prediction> top(float[] logits, Labels labels, int k) {
    if (k < 1) {
      throw new InvalidInputException("k must be >= 1, got " + k);
    }
    if (labels.size() != logits.length) {
      throw new LabelsException("the model gave " + logits.length + " scores but the labels ("
          + labels.source() + ") name " + labels.size() + " classes");
    }
    for (int i = 0; i < logits.length; i++) {
      if (Float.isNaN(logits[i])) {
        throw new IllegalArgumentException("logit " + i + " is NaN");
      }
    }
    float[] probabilities = Softmax.rows(FloatTensor.of(new long[] {1, logits.length}, logits))
        .toArray();
    return IntStream.range(0, logits.length).boxed()
        .sorted(Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparing(i -> i))
        .limit(k)
        .map(i -> {
          Label label = labels.get(i);
          return new Prediction(i, label.wnid(), label.shortName(), probabilities[i], logits[i]);
        })
        .toList();
  }
}
