package org.cam4j.cli;

import java.io.PrintWriter;

/**
 * Progress of a loop over several items on stderr: a bar redrawn in place on a terminal, one
 * line per item otherwise (logs), nothing for a single item.
 */
final class Progress {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final int total;
  private final boolean terminal;
  private int done;

  Progress(PrintWriter err, int total) {
    this(err, total, System.console() != null);
  }

  Progress(PrintWriter err, int total, boolean terminal) {
    this.err = err;
    this.total = total;
    this.terminal = terminal;
  }

  /** Reports that work on {@code item} starts. */
  void start(String item) {
    if (total < 2) {
      return;
    }
    if (terminal) {
      int filled = WIDTH * done / total;
      err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + (done + 1)
          + "/" + total + " " + item + "\u001b[K");
    } else {
      err.println("[" + (done + 1) + "/" + total + "] " + item);
    }
    err.flush();
    done++;
  }

  /** Prints a message (e.g. an error about the current item) without mangling the bar. */
  void note(String line) {
    clear();
    err.println(line);
    err.flush();
  }

  /** Clears the bar so that following output starts on a clean line. */
  void clear() {
    if (total >= 2 && terminal) {
      err.print("\r\u001b[K");
      err.flush();
    }
  }
}
