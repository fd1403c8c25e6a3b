package org.cam4j.registry;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file the registry can download: its name in the cache, the exact size and SHA-256 of its
 * bytes, and the URLs to try in order (primary first, then mirrors).
 */
public record RemoteFile(String fileName, long bytes, String sha256, List<URI> urls) {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** Validates the file: a plain name, a positive size, a 64-digit SHA-256 and at least one URL. */
  public RemoteFile {
    Objects.requireNonNull(fileName, "fileName");
    if (fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\")
        || fileName.equals(".") || fileName.equals("..")) {
      throw new IllegalArgumentException("file name must be a plain name, got '" + fileName + "'");
    }
    if (bytes <= 0) {
      throw new IllegalArgumentException(fileName + ": size must be positive, got " + bytes);
    }
    sha256 = sha256.toLowerCase(Locale.ROOT);
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException(fileName + ": sha256 must be 64 hex digits, got '"
          + sha256 + "'");
    }
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException(fileName + ": no URL to download it from");
    }
  }
}
