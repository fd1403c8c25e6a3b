package org.cam4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Output stems stay readable, unique and short enough for any output suffix. */
class OutputStemsTest {
  /** The longest name explain writes for a photo of stem S with a long method and layer. */
  private static String longestOutput(String stem) {
    return stem + "_integrated-gradients_layer03_-features-features.18-features.18.2-Clip"
        + "_overlay.png";
  }

  @Test
  void shortNamesAreKeptAndMadeSafeAndUnique() {
    OutputStems stems = new OutputStems();
    assertEquals(new OutputStems.Stem("cat", false), stems.of(Path.of("a/cat.png")));
    assertEquals(new OutputStems.Stem("cat_2", false), stems.of(Path.of("b/cat.jpg")));
    assertEquals(new OutputStems.Stem("my_cat_1_.v2", false),
        stems.of(Path.of("my cat (1).v2.png")));
  }

  @Test
  void longNamesAreShortenedToAPrefixAndAHash() {
    OutputStems stems = new OutputStems();
    String base = "x".repeat(200);
    OutputStems.Stem a = stems.of(Path.of(base + "a".repeat(36) + ".jpg")); // 240 characters
    OutputStems.Stem b = stems.of(Path.of(base + "b".repeat(36) + ".jpg"));
    assertTrue(a.shortened());
    assertEquals(OutputStems.MAX_LENGTH, a.name().length());
    assertTrue(a.name().startsWith("x".repeat(OutputStems.MAX_LENGTH - 9)), a.name());
    assertTrue(a.name().matches("x{91}_[0-9a-f]{8}"), a.name());
    assertNotEquals(a.name(), b.name()); // same prefix, other names: the hash tells them apart
    assertTrue(longestOutput(a.name()).length() < 255, longestOutput(a.name()));
    // the same long name again (another folder) is still unique
    OutputStems.Stem again = stems.of(Path.of("other", base + "a".repeat(36) + ".jpg"));
    assertEquals(a.name() + "_2", again.name());
    assertFalse(stems.of(Path.of("y".repeat(OutputStems.MAX_LENGTH) + ".png")).shortened());
  }
}
