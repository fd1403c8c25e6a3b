package org.cam4j.render;

import org.cam4j.ResourceUnavailableException;

/** A picture could not be saved: unsupported extension, or a folder that cannot be written. */
public final class ImageWriteException extends ResourceUnavailableException {
  /** A failed image write described by {@code message}. */
  public ImageWriteException(String message) {
    super(message);
  }

  /** A failed image write described by {@code message}, caused by {@code cause}. */
  public ImageWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
