package org.cam4j;

/**
 * Something cam4j needs from its surroundings cannot be used: a download failed, a file cannot
 * be read, a folder cannot be written, the disk is full, a port is taken, or the native runtime
 * cannot be set up. Retrying after fixing the surroundings may succeed.
 */
public class ResourceUnavailableException extends Cam4jException {
  /**
   * A resource that cannot be used.
   *
   * @param message which resource and what went wrong
   */
  public ResourceUnavailableException(String message) {
    super(message);
  }

  /**
   * A resource that cannot be used, with the failure that showed it.
   *
   * @param message which resource and what went wrong
   * @param cause the underlying failure
   */
  public ResourceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
