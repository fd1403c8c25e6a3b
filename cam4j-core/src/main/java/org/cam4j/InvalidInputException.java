package org.cam4j;

import java.util.List;

/**
 * The user's input is wrong: a bad image, tensor shape or option value, or a layer, class,
 * method or model name that does not exist. Where a name was not found,
 * {@link #suggestions()} lists the closest names.
 */
public class InvalidInputException extends Cam4jException {
  private final List<String> suggestions;

  /**
   * An input error without suggestions.
   *
   * @param message what is wrong with the input
   */
  public InvalidInputException(String message) {
    this(message, List.of());
  }

  /**
   * An input error with the failure that caused it.
   *
   * @param message what is wrong with the input
   * @param cause the underlying failure
   */
  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
    this.suggestions = List.of();
  }

  /**
   * An input error naming something that does not exist, with the closest names.
   *
   * @param message what is wrong with the input
   * @param suggestions the closest valid names, best first (may be empty)
   */
  public InvalidInputException(String message, List<String> suggestions) {
    super(message);
    this.suggestions = List.copyOf(suggestions);
  }

  /**
   * The closest valid names for a name that was not found, best first.
   *
   * @return the suggestions, empty when there are none
   */
  public List<String> suggestions() {
    return suggestions;
  }
}
