package org.cam4j.internal.autodiff;

import java.util.Collection;
import org.cam4j.UnsupportedModelException;

/** A node on the path from a layer to the score has no gradient rule (or an unsupported form). */
public final class UnsupportedOperatorException extends UnsupportedModelException {
  private final String opType;
  private final String nodeName;

  public UnsupportedOperatorException(String opType, String nodeName, String detail,
      Collection<String> supported) {
    super("cannot differentiate " + opType + " node '" + nodeName + "'"
        + (detail.isEmpty() ? "" : " (" + detail + ")")
        + ": it lies between the chosen layer and the class score. Choose a layer after it,"
        + " or use a gradient-free method (eigencam, scorecam, ablationcam). Supported ops: "
        + String.join(", ", supported));
    this.opType = opType;
    this.nodeName = nodeName;
  }

  public String opType() {
    return opType;
  }

  public String nodeName() {
    return nodeName;
  }
}
