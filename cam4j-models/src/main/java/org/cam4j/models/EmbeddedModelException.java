package org.cam4j.models;

import org.cam4j.Cam4jException;

/**
 * An embedded model cannot be copied out of its jar: a file's bytes do not match the SHA-256
 * recorded for it (a corrupted or altered jar), a file is missing from the jar, or the cache
 * folder cannot be written.
 */
public final class EmbeddedModelException extends Cam4jException {
  /** With a message saying which file and what went wrong. */
  public EmbeddedModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
