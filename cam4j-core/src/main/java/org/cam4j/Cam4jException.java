package org.cam4j;

/**
 * Base of every error cam4j reports; messages are written for the person running the tool.
 *
 * <p>The subclass says whose problem it is, so callers map errors by type, never by message:
 * {@link InvalidInputException} (the input is wrong and the user can fix it),
 * {@link UnsupportedModelException} (the model cannot be explained this way) and
 * {@link ResourceUnavailableException} (a file, folder, download or native runtime cannot be
 * used). Programming errors are not Cam4jExceptions: they stay {@link IllegalArgumentException}
 * or {@link IllegalStateException} and count as internal errors.
 */
public abstract class Cam4jException extends RuntimeException {
  /**
   * An error with a message for people.
   *
   * @param message what went wrong and, where possible, what to do about it
   */
  protected Cam4jException(String message) {
    super(message);
  }

  /**
   * An error with a message for people and the failure that caused it.
   *
   * @param message what went wrong and, where possible, what to do about it
   * @param cause the underlying failure
   */
  protected Cam4jException(String message, Throwable cause) {
    super(message, cause);
  }
}
