package org.cam4j.image;

import org.cam4j.InvalidInputException;

/** A photo could not be read: missing, not an image, corrupt, or larger than allowed. */
public final class ImageLoadException extends InvalidInputException {
  public ImageLoadException(String message) {
    super(message);
  }

  public ImageLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
