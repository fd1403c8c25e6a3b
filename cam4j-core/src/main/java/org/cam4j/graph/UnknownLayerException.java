package org.cam4j.graph;

import java.util.List;
import org.cam4j.Cam4jException;

/** A layer name matched no tensor; carries the closest names so the user can retry. */
public final class UnknownLayerException extends Cam4jException {
  private final String query;
  private final List<String> suggestions;

  public UnknownLayerException(String query, List<String> suggestions) {
    super("unknown layer '" + query + "'; closest layers: " + String.join(", ", suggestions)
        + " (list them all with: cam4j layers --model ...)");
    this.query = query;
    this.suggestions = List.copyOf(suggestions);
  }

  public String query() {
    return query;
  }

  public List<String> suggestions() {
    return suggestions;
  }
}
