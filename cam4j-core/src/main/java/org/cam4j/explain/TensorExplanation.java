package org.cam4j.explain;

import java.util.List;
import org.cam4j.tensor.FloatTensor;

/**
 * One method's maps for an already preprocessed batch ({@link Explainer#explain(FloatTensor,
 * ExplainOptions)}).
 *
 * @param method the method's name, e.g. "gradcam"
 * @param layers the tensors explained, in order; for methods that attribute to pixels, the
 *     model's input alone
 * @param rawMaps per layer, float32 {@code [N,h,w]} before ReLU and normalisation
 *     ({@code [N,H,W]} for pixel methods)
 * @param map float32 {@code [N,H,W]} at input size, normalised as the options said
 * @param explainedClasses per image the class explained, -1 for a weighted target
 * @param target what was explained, resolved against the labels
 */
public record TensorExplanation(String method, List<String> layers, List<FloatTensor> rawMaps,
    FloatTensor map, int[] explainedClasses, Target target) {
  /** Copies the lists and the classes. */
  public TensorExplanation {
    layers = List.copyOf(layers);
    rawMaps = List.copyOf(rawMaps);
    explainedClasses = explainedClasses.clone();
  }

  /** Per image the class explained, -1 for a weighted target; a copy. */
  @Override
  public int[] explainedClasses() {
    return explainedClasses.clone();
  }
}
