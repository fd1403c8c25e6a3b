package org.cam4j.graph;

import org.cam4j.InvalidInputException;

/** The file is missing, unreadable, or not an ONNX model cam4j can use. */
public final class ModelLoadException extends InvalidInputException {
  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
