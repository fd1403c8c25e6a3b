package org.cam4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.cam4j.registry.ProgressListener;

/**
 * Download progress on stderr: a bar redrawn in place on a terminal, a line per 10% otherwise.
 */
final class DownloadBar implements ProgressListener {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final boolean terminal;
  private String file;
  private long lastTenth = -1;

  DownloadBar(PrintWriter err) {
    this.err = err;
    this.terminal = System.console() != null;
  }

  @Override
  public void progress(String fileName, long done, long total) {
    if (!fileName.equals(file)) {
      finish();
      file = fileName;
      lastTenth = -1;
      err.println("cam4j: downloading " + fileName + (total > 0 ? " (" + mb(total) + ")" : ""));
    }
    if (terminal) {
      int filled = total > 0 ? (int) (WIDTH * done / total) : 0;
      err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + mb(done)
          + (total > 0 ? " / " + mb(total) : ""));
    } else if (total > 0 && 10 * done / total > lastTenth) {
      lastTenth = 10 * done / total;
      err.println("  " + 10 * lastTenth + "% (" + mb(done) + ")");
    }
    err.flush();
  }

  /** Ends the bar's line, if one was drawn. */
  void finish() {
    if (terminal && file != null) {
      err.println();
      err.flush();
    }
    file = null;
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
