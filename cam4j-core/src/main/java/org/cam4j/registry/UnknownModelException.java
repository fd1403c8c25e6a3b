package org.cam4j.registry;

import java.util.List;
import org.cam4j.InvalidInputException;

/** A model name is neither a registry name nor a file; carries the closest names. */
public final class UnknownModelException extends InvalidInputException {
  private final String query;

  /**
   * {@code query} named no model; the message lists the closest names, the registry's and the
   * default.
   */
  public UnknownModelException(String query, List<String> suggestions, List<String> known,
      String defaultName) {
    super("unknown model '" + query + "'"
        + (suggestions.isEmpty() ? "" : "; closest: " + String.join(", ", suggestions))
        + "; registry models: " + String.join(", ", known.stream()
            .map(n -> n.equals(defaultName) ? n + " (default)" : n).toList())
        + "; or pass --model PATH to an .onnx file", suggestions);
    this.query = query;
  }

  /** The model argument as given. */
  public String query() {
    return query;
  }
}
