package org.cam4j.image;

import org.cam4j.InvalidInputException;

/** A preprocessing name, spec string or sidecar file is invalid. */
public final class PreprocessingException extends InvalidInputException {
  /** A preprocessing problem described by {@code message}. */
  public PreprocessingException(String message) {
    super(message);
  }

  /** A preprocessing problem described by {@code message}, caused by {@code cause}. */
  public PreprocessingException(String message, Throwable cause) {
    super(message, cause);
  }
}
