package org.cam4j.tensor;

import org.cam4j.InvalidInputException;

/**
 * A {@code .npy} file cam4j cannot read: not a regular file, a broken or unsupported header, or
 * data that does not match the header's shape. The message names the file and the problem.
 */
public final class NpyFormatException extends InvalidInputException {
  /** An error whose message names the file and the problem. */
  public NpyFormatException(String message) {
    super(message);
  }

  /** An error whose message names the file and the problem, with the failure that caused it. */
  public NpyFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
