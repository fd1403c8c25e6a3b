package org.cam4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.cam4j.Versions;
import org.junit.jupiter.api.Test;

/** {@code --version} prints the build's version, by the fast path and through picocli alike. */
class VersionTest {
  private static String printed(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.run(args));
    } finally {
      System.setOut(saved);
    }
    return bytes.toString(StandardCharsets.UTF_8).strip();
  }

  @Test
  void versionNamesTheBuild() {
    String fast = printed("--version");
    assertEquals("cam4j " + Versions.cam4j(), fast);
    assertTrue(Versions.cam4j().matches("\\d+\\.\\d+\\.\\d+.*"), Versions.cam4j());
    assertEquals(fast, printed("-V"));
  }

  @Test
  void picocliPrintsTheSameVersion() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    picocli.CommandLine cli = new picocli.CommandLine(new Cam4jCommand());
    cli.printVersionHelp(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals(printed("--version"), bytes.toString(StandardCharsets.UTF_8).strip());
  }
}
