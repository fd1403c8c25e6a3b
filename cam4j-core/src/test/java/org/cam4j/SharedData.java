package org.cam4j;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the read-only {@code shared/} folder that lies beside the project clone. */
public final class SharedData {
  private SharedData() {
  }

  public static Path dir() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      Path candidate = p.resolveSibling("shared");
      if (Files.isDirectory(candidate.resolve("models"))) {
        return candidate;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("shared/ not found beside the project (tests need ../shared)");
  }

  public static Path path(String relative) {
    return dir().resolve(relative);
  }
}
