package org.cam4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a loop over several items on stderr: on a terminal a bar redrawn in place with the
 * estimated time left (from the mean time of the items done), one line per item otherwise (logs),
 * nothing for a single item.
 */
final class Progress {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final int total;
  private final boolean terminal;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private int done;

  Progress(PrintWriter err, int total) {
    this(err, total, System.console() != null, System::nanoTime);
  }

  Progress(PrintWriter err, int total, boolean terminal, LongSupplier nanoClock) {
    this.err = err;
    this.total = total;
    this.terminal = terminal;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
  }

  /** Reports that work on {@code item} starts. */
  void start(String item) {
    if (total < 2) {
      return;
    }
    if (terminal) {
      int filled = WIDTH * done / total;
      err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + (done + 1)
          + "/" + total + " " + eta() + " " + item + "\u001b[K");
    } else {
      err.println("[" + (done + 1) + "/" + total + "] " + item);
    }
    err.flush();
    done++;
  }

  /** {@code ETA m:ss} from the mean time per item so far; {@code ETA --:--} before the first. */
  private String eta() {
    if (done == 0) {
      return "ETA --:--";
    }
    long perItem = (nanoClock.getAsLong() - startNanos) / done;
    long seconds = Math.round(perItem * (double) (total - done) / 1e9);
    return String.format(Locale.ROOT, "ETA %d:%02d", seconds / 60, seconds % 60);
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
