package org.cam4j.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public or protected declaration of the public API (cam4j-core outside
 * {@code org.cam4j.internal}) carries a javadoc comment. The javadoc build checks the comments'
 * HTML and references (doclint); this test checks that they exist, which doclint can only demand
 * together with an {@code @param} and {@code @return} for every method. Overrides inherit their
 * documentation and are exempt.
 */
class ApiDocsTest {
  private static final Path SOURCES = Path.of("src/main/java/org/cam4j");

  @Test
  void everyPublicDeclarationHasAComment() throws IOException {
    List<String> missing = new ArrayList<>();
    for (Path file : apiSources()) {
      List<String> lines = Files.readAllLines(file);
      if (!declaresAPublicType(lines)) {
        continue;
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (!isDeclaration(line)) {
          continue;
        }
        if (!documented(lines, i)) {
          missing.add(SOURCES.relativize(file) + ":" + (i + 1) + ": " + line.trim());
        }
      }
    }
    assertEquals(List.of(), missing, "public declarations without a javadoc comment");
  }

  /** Whether the file's top-level type is public (a package-private type is not API). */
  private static boolean declaresAPublicType(List<String> lines) {
    return lines.stream().anyMatch(l -> l.matches("public\\s.*\\b(class|record|enum|interface)\\s.*"));
  }

  private static boolean isDeclaration(String line) {
    String t = line.trim();
    return t.startsWith("public ") || t.startsWith("protected ");
  }

  /** Whether the declaration at {@code at} is preceded by a javadoc comment or an override. */
  private static boolean documented(List<String> lines, int at) {
    int i = at - 1;
    while (i >= 0 && lines.get(i).trim().startsWith("@")) {
      if (lines.get(i).trim().startsWith("@Override")) {
        return true;
      }
      i--;
    }
    if (i < 0 || !lines.get(i).trim().endsWith("*/")) {
      return false;
    }
    while (i >= 0 && !lines.get(i).contains("/*")) {
      i--;
    }
    return i >= 0 && lines.get(i).contains("/**");
  }

  private static List<Path> apiSources() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> !SOURCES.relativize(f).startsWith("internal"))
          .sorted().toList();
    }
  }
}
