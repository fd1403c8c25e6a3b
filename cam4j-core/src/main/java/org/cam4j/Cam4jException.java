package org.cam4j;

/** Base of every error cam4j reports; messages are written for the person running the tool. */
public class Cam4jException extends RuntimeException {
  public Cam4jException(String message) {
    super(message);
  }

  public Cam4jException(String message, Throwable cause) {
    super(message, cause);
  }
}
