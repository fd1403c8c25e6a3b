package org.cam4j.tensor;

import org.cam4j.InvalidInputException;

/**
 * A tensor holds NaN or an infinity where only finite values make sense: an input tensor, or a
 * score or map the model computed (an input whose values overflow the network).
 */
public final class NonFiniteValueException extends InvalidInputException {
  /** An error whose message names the tensor, the value and its index. */
  public NonFiniteValueException(String message) {
    super(message);
  }
}
