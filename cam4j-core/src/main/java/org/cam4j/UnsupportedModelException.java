package org.cam4j;

/**
 * The model cannot be explained as asked: it is not an image model, an operator on the path
 * from the layer to the score has no gradient, or no layer of it suits the method.
 */
public class UnsupportedModelException extends Cam4jException {
  /**
   * A model that cannot be explained as asked.
   *
   * @param message what the model lacks and, where possible, what to try instead
   */
  public UnsupportedModelException(String message) {
    super(message);
  }

  /**
   * A model that cannot be explained as asked, with the failure that showed it.
   *
   * @param message what the model lacks and, where possible, what to try instead
   * @param cause the underlying failure
   */
  public UnsupportedModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
