package org.cam4j.graph;

import java.util.List;
import org.cam4j.InvalidInputException;

/** A layer name matched no tensor; carries the closest names so the user can retry. */
public final class UnknownLayerException extends InvalidInputException {
  private final String query;

  /**
   * A layer name that matched no tensor.
   *
   * @param query the name asked for
   * @param suggestions the closest layer names, best first
   */
  public UnknownLayerException(String query, List<String> suggestions) {
    super("unknown layer '" + query + "'; closest layers: " + String.join(", ", suggestions)
        + " (list them all with: cam4j layers --model ...)", suggestions);
    this.query = query;
  }

  /**
   * The layer name asked for.
   *
   * @return the name as given
   */
  public String query() {
    return query;
  }
}
