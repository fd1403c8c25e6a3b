package org.cam4j.graph;

import org.cam4j.InvalidInputException;

/** The file is missing, unreadable, or not an ONNX model cam4j can use. */
public final class ModelLoadException extends InvalidInputException {
  /** A model that cannot be loaded, described by {@code message}. */
  public ModelLoadException(String message) {
    super(message);
  }

  /** A model that cannot be loaded, described by {@code message}, caused by {@code cause}. */
  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
