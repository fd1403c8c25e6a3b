package org.cam4j.server;

/** Small helpers for echoing client text safely in messages. */
final class Text {
  private Text() {
  }

  /** At most {@code max} characters, control characters replaced. */
  static String clip(String s, int max) {
    String clean = s.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= max ? clean : clean.substring(0, max) + "...";
  }

  /**
   * An uploaded file's name as a plain label: the last path segment, safe characters only. It
   * names the photo in manifests and is never used as a path.
   */
  static String uploadName(String filename) {
    if (filename == null) {
      return "upload";
    }
    String last = filename.replace('\\', '/');
    last = last.substring(last.lastIndexOf('/') + 1);
    String safe = last.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^\\.+", "");
    if (safe.isEmpty()) {
      return "upload";
    }
    return safe.length() <= 100 ? safe : safe.substring(safe.length() - 100);
  }
}
