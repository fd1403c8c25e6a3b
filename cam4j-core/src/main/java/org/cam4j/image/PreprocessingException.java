package org.cam4j.image;

import org.cam4j.Cam4jException;

/** A preprocessing name, spec string or sidecar file is invalid. */
public final class PreprocessingException extends Cam4jException {
  public PreprocessingException(String message) {
    super(message);
  }

  public PreprocessingException(String message, Throwable cause) {
    super(message, cause);
  }
}
