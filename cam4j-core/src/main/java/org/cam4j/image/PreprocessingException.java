package org.cam4j.image;

import org.cam4j.InvalidInputException;

/** A preprocessing name, spec string or sidecar file is invalid. */
public final class PreprocessingException extends InvalidInputException {
  public PreprocessingException(String message) {
    super(message);
  }

  public PreprocessingException(String message, Throwable cause) {
    super(message, cause);
  }
}
