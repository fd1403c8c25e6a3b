package org.cam4j.render;

import org.cam4j.ResourceUnavailableException;

/** A picture could not be saved: unsupported extension, or a folder that cannot be written. */
public final class ImageWriteException extends ResourceUnavailableException {
  public ImageWriteException(String message) {
    super(message);
  }

  public ImageWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
