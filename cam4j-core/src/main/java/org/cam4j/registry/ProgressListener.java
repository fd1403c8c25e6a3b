package org.cam4j.registry;

/** Told how a download advances, so a caller can draw a progress bar. */
@FunctionalInterface
public interface ProgressListener {
  /** Ignores all progress. */
  ProgressListener NONE = (fileName, bytesSoFar, totalBytes) -> { };

  /**
   * Called once with 0 when the transfer starts, then after every chunk; the counts rise and
   * end at {@code totalBytes} when the transfer completes. When a URL fails and the next one is
   * tried, the count starts again from 0.
   *
   * @param totalBytes the expected size of the file
   */
  void progress(String fileName, long bytesSoFar, long totalBytes);
}
