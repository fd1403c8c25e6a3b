package org.cam4j.export;

import org.cam4j.Cam4jException;

/** A model, layer or method that cannot be exported as asked (the message says why). */
public class ExportException extends Cam4jException {
  /** An export refused for the reason given. */
  public ExportException(String message) {
    super(message);
  }
}
