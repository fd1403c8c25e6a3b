package org.cam4j.labels;

import org.cam4j.Cam4jException;

/** A labels file is missing, malformed, or does not fit the model's classes. */
public final class LabelsException extends Cam4jException {
  /** A labels problem described by {@code message}. */
  public LabelsException(String message) {
    super(message);
  }

  /** A labels problem described by {@code message}, caused by {@code cause}. */
  public LabelsException(String message, Throwable cause) {
    super(message, cause);
  }
}
