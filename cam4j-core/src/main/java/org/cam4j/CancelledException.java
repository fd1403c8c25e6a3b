package org.cam4j;

/**
 * The work was stopped at a checkpoint because its {@link Cancellation} token said so (its
 * caller gave up on it: a timeout, a cancelled job, a shutdown). Nobody's error: the result is
 * simply not wanted any more.
 */
public final class CancelledException extends Cam4jException {
  /**
   * A cancellation.
   *
   * @param message what was stopped
   */
  public CancelledException(String message) {
    super(message);
  }
}
