package org.cam4j.labels;

import org.cam4j.Cam4jException;

/** A labels file is missing, malformed, or does not fit the model's classes. */
public final class LabelsException extends Cam4jException {
  public LabelsException(String message) {
    super(message);
  }

  public LabelsException(String message, Throwable cause) {
    super(message, cause);
  }
}
