package org.cam4j.registry;

import org.cam4j.ResourceUnavailableException;

/**
 * A registry model or its labels file cannot be downloaded: every URL failed or delivered the
 * wrong bytes. The message names the model, the URLs tried with what went wrong, and how to
 * supply the file by hand.
 */
public final class ModelUnavailableException extends ResourceUnavailableException {
  private final String model;

  /** Model {@code model} cannot be had; {@code message} says why and how to supply it by hand. */
  public ModelUnavailableException(String model, String message, Throwable cause) {
    super(message, cause);
    this.model = model;
  }

  /** The registry name of the model. */
  public String model() {
    return model;
  }
}
