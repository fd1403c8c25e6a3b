package org.cam4j.registry;

import java.util.List;
import org.cam4j.Cam4jException;

/** A model name is neither a registry name nor a file; carries the closest names. */
public final class UnknownModelException extends Cam4jException {
  private final String query;
  private final List<String> suggestions;

  /**
   * {@code query} named no model; lists the closest names, the registry's names and the default.
   */
  public UnknownModelException(String query, List<String> suggestions, List<String> known,
      String defaultName) {
    super("unknown model '" + query + "'"
        + (suggestions.isEmpty() ? "" : "; closest: " + String.join(", ", suggestions))
        + "; registry models: " + String.join(", ", known.stream()
            .map(n -> n.equals(defaultName) ? n + " (default)" : n).toList())
        + "; or pass --model PATH to an .onnx file");
    this.query = query;
    this.suggestions = List.copyOf(suggestions);
  }

  /** The model argument as given. */
  public String query() {
    return query;
  }

  /** Up to three registry names closest to {@code query}. */
  public List<String> suggestions() {
    return suggestions;
  }
}
