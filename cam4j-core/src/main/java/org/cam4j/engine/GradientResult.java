package org.cam4j.engine;

import java.util.List;
import java.util.Map;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Softmax;

/**
 * One forward+backward run: for each layer its activation A and d(score)/dA, plus the class
 * scores. Immutable.
 *
 * @param scoreTensor name of the differentiated tensor
 * @param scores pre-softmax class scores [N, K]
 * @param explainedClasses per row: the class explained or argued against (its top-1 when so
 *     asked), or -1 for a custom weighting
 */
public record GradientResult(String scoreTensor, FloatTensor scores, int[] explainedClasses,
    List<String> layers, Map<String, FloatTensor> activations, Map<String, FloatTensor> gradients) {

  /** Copies the arrays and maps, so the result cannot change. */
  public GradientResult {
    explainedClasses = explainedClasses.clone();
    layers = List.copyOf(layers);
    activations = Map.copyOf(activations);
    gradients = Map.copyOf(gradients);
  }

  @Override
  public int[] explainedClasses() {
    return explainedClasses.clone();
  }

  /** The activation A of {@code layer} [N, ...], as the layer computes it. */
  public FloatTensor activation(String layer) {
    return require(activations, layer);
  }

  /** The gradient d(score)/dA of {@code layer}, the same shape as its activation. */
  public FloatTensor gradient(String layer) {
    return require(gradients, layer);
  }

  private static FloatTensor require(Map<String, FloatTensor> m, String layer) {
    FloatTensor t = m.get(layer);
    if (t == null) {
      throw new IllegalArgumentException("layer '" + layer + "' was not part of this run");
    }
    return t;
  }

  /** Softmax of the scores, row by row. */
  public FloatTensor probabilities() {
    return Softmax.rows(scores);
  }
}
