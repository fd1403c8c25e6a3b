package org.cam4j.graph;

import org.cam4j.UnsupportedModelException;

/** The model loads but does not look like an image classifier (e.g. a 2-D input). */
public final class NotAnImageModelException extends UnsupportedModelException {
  /** A model that is not an image classifier, described by {@code message}. */
  public NotAnImageModelException(String message) {
    super(message);
  }
}
