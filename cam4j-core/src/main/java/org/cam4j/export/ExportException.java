package org.cam4j.export;

import org.cam4j.InvalidInputException;

/**
 * An export asked for what cannot be exported: a method without a closed form in ONNX operators,
 * a batch size the model does not take, or a file that is already an export (the message says
 * which and what to do instead).
 */
public class ExportException extends InvalidInputException {
  /**
   * An export refused for the reason given.
   *
   * @param message why, and what to ask for instead
   */
  public ExportException(String message) {
    super(message);
  }
}
