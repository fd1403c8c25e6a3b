package org.cam4j.image;

import org.cam4j.InvalidInputException;

/** A photo could not be read: missing, not an image, corrupt, or larger than allowed. */
public final class ImageLoadException extends InvalidInputException {
  /** An unreadable image described by {@code message}. */
  public ImageLoadException(String message) {
    super(message);
  }

  /** An unreadable image described by {@code message}, caused by {@code cause}. */
  public ImageLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
