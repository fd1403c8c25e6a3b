package org.cam4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bar and its time estimate, on a clock the test sets. */
class ProgressTest {
  @Test
  void terminalBarEstimatesTheTimeLeftFromTheMeanSoFar() {
    StringWriter text = new StringWriter();
    AtomicLong nanos = new AtomicLong(5_000_000_000L);
    Progress p = new Progress(new PrintWriter(text), 4, true, nanos::get);
    p.start("a.png");
    nanos.addAndGet(10_000_000_000L);
    p.start("b.png");
    nanos.addAndGet(50_000_000_000L);
    p.start("c.png");
    String esc = "\u001b[K";
    // after 1 item in 10 s: 3 left, 30 s; after 2 in 60 s: 2 left, 60 s
    assertEquals("\r[" + " ".repeat(30) + "] 1/4 ETA --:-- a.png" + esc
        + "\r[" + "#".repeat(7) + " ".repeat(23) + "] 2/4 ETA 0:30 b.png" + esc
        + "\r[" + "#".repeat(15) + " ".repeat(15) + "] 3/4 ETA 1:00 c.png" + esc,
        text.toString());
  }

  @Test
  void logsGetOneLinePerItem() {
    StringWriter text = new StringWriter();
    Progress p = new Progress(new PrintWriter(text), 2, false, () -> 0);
    p.start("a.png");
    p.start("b.png");
    assertEquals("[1/2] a.png" + System.lineSeparator() + "[2/2] b.png"
        + System.lineSeparator(), text.toString());
  }
}
