package org.cam4j.labels;

import java.util.List;
import org.cam4j.InvalidInputException;

/**
 * A labels file is missing, malformed, or does not fit the model's classes; or a class name
 * matches no label (then {@link #suggestions()} holds the closest names).
 */
public final class LabelsException extends InvalidInputException {
  /** A labels problem described by {@code message}. */
  public LabelsException(String message) {
    super(message);
  }

  /** A labels problem described by {@code message}, caused by {@code cause}. */
  public LabelsException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A class name that matches no label.
   *
   * @param message the name asked for and the closest labels
   * @param suggestions the closest label names, best first
   */
  public LabelsException(String message, List<String> suggestions) {
    super(message, suggestions);
  }
}
