package org.cam4j.engine;

import java.util.Map;
import org.cam4j.tensor.FloatTensor;

/**
 * One forward run without gradients. Immutable.
 *
 * @param scores pre-softmax class scores [N, K]
 * @param tensors the tensors asked for, by name
 */
public record ForwardResult(FloatTensor scores, Map<String, FloatTensor> tensors) {
  /** Copies the tensors map. */
  public ForwardResult {
    tensors = Map.copyOf(tensors);
  }

  /** The tensor {@code name} of this run; fails when it was not asked for. */
  public FloatTensor tensor(String name) {
    FloatTensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("tensor '" + name + "' was not part of this run");
    }
    return t;
  }
}
