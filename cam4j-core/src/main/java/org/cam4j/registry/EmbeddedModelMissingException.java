package org.cam4j.registry;

import org.cam4j.Cam4jException;

/**
 * A model the catalogue lists as embedded was asked for, but no jar on the class path provides
 * it (see {@link EmbeddedModelProvider}): the {@code cam4j-models} artifact is missing.
 */
public final class EmbeddedModelMissingException extends Cam4jException {
  private final String model;

  /** For the embedded model named {@code model}. */
  public EmbeddedModelMissingException(String model) {
    super("model '" + model + "' is embedded in the cam4j-models artifact, which is not on the"
        + " class path: add the dependency org.cam4j:cam4j-models, or pass a registry name or a"
        + " model file");
    this.model = model;
  }

  /** The name of the embedded model. */
  public String model() {
    return model;
  }
}
