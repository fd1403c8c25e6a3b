package org.cam4j.registry;

import java.util.List;
import org.cam4j.ResourceUnavailableException;

/** Every URL of a file failed; {@link #attempts()} says how, one entry per URL. */
public final class DownloadException extends ResourceUnavailableException {
  private final RemoteFile file;
  private final List<String> attempts;

  /** Every URL of {@code file} failed; {@code attempts} says how, one entry per URL. */
  public DownloadException(RemoteFile file, List<String> attempts) {
    super("cannot download " + file.fileName() + ": tried " + String.join(", ", attempts));
    this.file = file;
    this.attempts = List.copyOf(attempts);
  }

  /** The file that could not be downloaded. */
  public RemoteFile file() {
    return file;
  }

  /** {@code "URL (what went wrong)"} per URL tried, in order. */
  public List<String> attempts() {
    return attempts;
  }
}
