package org.cam4j.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The stems of the output files of a run's photos ({@code cat.png} gives {@code cat}, then
 * {@code cat_gradcam_overlay.png} ...): file-name safe, unique within the run, and short enough
 * that every output name stays under the 255-byte file-name limit.
 */
final class OutputStems {
  /**
   * The longest stem, in characters (stems are ASCII): leaves 155 bytes for the longest suffix
   * explain adds (method, layer tag and layer name, role and extension, such as
   * {@code _integrated-gradients_layer03_<layer>_overlay.png}).
   */
  static final int MAX_LENGTH = 100;
  /** Characters of a shortened name's hash, which keeps shortened stems apart. */
  private static final int HASH_LENGTH = 8;

  private final Set<String> used = new HashSet<>();

  /** A photo's stem; {@code shortened} when its name was too long to keep whole. */
  record Stem(String name, boolean shortened) {
  }

  /** The stem of {@code photo}'s outputs, unique among those given by this instance. */
  Stem of(Path photo) {
    String name = photo.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^A-Za-z0-9._-]+", "_");
    boolean shortened = stem.length() > MAX_LENGTH;
    if (shortened) {
      // a readable prefix, and a hash of the whole name so that long names sharing the prefix
      // still differ
      stem = stem.substring(0, MAX_LENGTH - HASH_LENGTH - 1) + "_"
          + String.format(Locale.ROOT, "%08x", name.hashCode());
    }
    String unique = stem;
    for (int i = 2; !used.add(unique); i++) {
      unique = stem + "_" + i;
    }
    return new Stem(unique, shortened);
  }
}
